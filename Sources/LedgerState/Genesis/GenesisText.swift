/// Text rules shared by the genesis value types: one place for the identifier
/// alphabets, the name cap and the order used for sorting.
enum GenesisText {
    /// Bytes in a bureau or licence-type name (Chinese names are 3 bytes a character).
    static let maxNameBytes = 128

    /// `first` then 1 to 31 bytes of `rest`: the shape of codes and bureau ids.
    static func isIdentifier(_ text: String, first: (UInt8) -> Bool, rest: (UInt8) -> Bool) -> Bool {
        let utf8 = Array(text.utf8)
        guard (2...32).contains(utf8.count), first(utf8[0]) else { return false }
        return utf8.dropFirst().allSatisfy(rest)
    }

    static func isUpper(_ c: UInt8) -> Bool { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(c) }
    static func isLower(_ c: UInt8) -> Bool { (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) }
    static func isDigit(_ c: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) }

    /// Names are shown to people and hashed into the genesis block, so they must
    /// be non-empty, bounded, and free of control characters that could hide text.
    static func checkName(_ name: String, field: String) throws(GenesisError) {
        let bytes = name.utf8.count
        guard bytes > 0 else { throw .invalidName(field: field, reason: "must not be empty") }
        guard bytes <= maxNameBytes else {
            throw .invalidName(field: field, reason: "\(bytes) bytes, over the limit of \(maxNameBytes)")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw .invalidName(field: field, reason: "contains a control character")
        }
    }

    /// Byte order, not Swift's Unicode string order: the same on every platform
    /// and the order of the encoded lists.
    static func precedes(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    /// True when every element is strictly greater than the one before it.
    static func isStrictlyAscending<T: Comparable>(_ items: [T]) -> Bool {
        zip(items, items.dropFirst()).allSatisfy { $0 < $1 }
    }
}

extension GenesisText {
    /// Index of the element whose key is `target` in a list sorted by that key.
    static func binarySearch<T, K: Comparable>(_ items: [T], for target: K, key: (T) -> K) -> Int? {
        var low = 0
        var high = items.count
        while low < high {
            let mid = low + (high - low) / 2
            let candidate = key(items[mid])
            if candidate == target { return mid }
            if candidate < target { low = mid + 1 } else { high = mid }
        }
        return nil
    }
}
