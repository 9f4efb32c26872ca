/// A half-open interval of keys in bytewise order: `lowerBound` is included,
/// `upperBound` (when present) is excluded.
public struct KeyRange: Hashable, Sendable {
    public var lowerBound: [UInt8]
    public var upperBound: [UInt8]?

    public init(from lowerBound: [UInt8] = [], to upperBound: [UInt8]? = nil) {
        self.lowerBound = lowerBound
        self.upperBound = upperBound
    }

    /// Every key in the column family.
    public static let all = KeyRange()

    /// Every key that starts with `prefix`. The upper bound is the shortest key
    /// greater than all such keys; a prefix of only 0xFF bytes has none.
    public static func prefix(_ prefix: [UInt8]) -> KeyRange {
        KeyRange(from: prefix, to: prefixSuccessor(prefix))
    }

    /// True when no key can lie in the range (`upperBound <= lowerBound`).
    public var isEmpty: Bool {
        guard let upperBound else { return false }
        return compareBytes(upperBound, lowerBound) <= 0
    }

    public func contains(_ key: [UInt8]) -> Bool {
        guard compareBytes(key, lowerBound) >= 0 else { return false }
        guard let upperBound else { return true }
        return compareBytes(key, upperBound) < 0
    }

    static func prefixSuccessor(_ prefix: [UInt8]) -> [UInt8]? {
        var successor = prefix
        while let last = successor.last {
            if last < 0xFF {
                successor[successor.count - 1] = last + 1
                return successor
            }
            successor.removeLast()
        }
        return nil
    }
}

extension KeyRange {
    /// The part of this range that a scan in the given direction has not
    /// reached yet, once it returned `lastKey`: the keys after it (ascending)
    /// or before it (descending). Use it to fetch the next page of a scan.
    public func remaining(after lastKey: [UInt8], reverse: Bool) -> KeyRange {
        if reverse {
            return KeyRange(from: lowerBound, to: lastKey)
        }
        // The smallest key greater than lastKey in bytewise order.
        return KeyRange(from: lastKey + [0x00], to: upperBound)
    }
}
