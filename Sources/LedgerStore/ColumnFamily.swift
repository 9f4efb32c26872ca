/// The name of a key space inside a store. Names are restricted so they can be
/// shown, logged and typed on a command line without escaping.
public struct ColumnFamily: Hashable, Sendable, Comparable, CustomStringConvertible {
    public static let maxNameLength = 64

    /// RocksDB always has this family; both backends treat it as declared.
    public static let `default` = ColumnFamily(validated: "default")

    public let name: String

    /// Accepts 1 to 64 characters from `[a-z0-9_]`.
    public init(_ name: String) throws(StoreError) {
        guard ColumnFamily.isValidName(name) else {
            throw .invalidColumnFamilyName(name)
        }
        self.name = name
    }

    private init(validated name: String) {
        self.name = name
    }

    public static func isValidName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard !bytes.isEmpty, bytes.count <= maxNameLength else { return false }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "_")
        }
    }

    public static func < (lhs: ColumnFamily, rhs: ColumnFamily) -> Bool {
        lhs.name.utf8.lexicographicallyPrecedes(rhs.name.utf8)
    }

    public var description: String { name }
}
