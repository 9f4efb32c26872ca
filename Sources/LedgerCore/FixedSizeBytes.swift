/// A value that is exactly `byteCount` bytes (digests, addresses): one place for
/// the length check, hex parsing, printing and byte order.
public protocol FixedSizeBytes: Hashable, Comparable, Sendable, CustomStringConvertible {
    static var byteCount: Int { get }
    var bytes: [UInt8] { get }
    /// Callers guarantee the length; the public initialisers check it.
    init(unchecked bytes: [UInt8])
}

extension FixedSizeBytes {
    /// Returns nil unless exactly `byteCount` bytes are given.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self.init(unchecked: Array(bytes))
    }

    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes)
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    /// Unsigned byte order, the order of keys in the store.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
