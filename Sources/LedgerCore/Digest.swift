import SwiftASN1

/// A 32-byte hash: SHA-256 or SM3, depending on the chain's crypto suite.
public struct Digest: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let byteCount = 32

    public let bytes: [UInt8]

    /// Returns nil unless exactly 32 bytes are given.
    public init?(_ bytes: some Collection<UInt8>) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = Array(bytes)
    }

    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes)
    }

    public static let zero = Digest(unchecked: [UInt8](repeating: 0, count: byteCount))

    init(unchecked bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount)
        self.bytes = bytes
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    public static func < (lhs: Digest, rhs: Digest) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}

/// Anything that maps bytes to a `Digest`. `LedgerCrypto`'s suites conform; the
/// Merkle tree and identifiers are written against this so that LedgerCore stays
/// free of C libraries.
public protocol DigestFunction: Sendable {
    func digest(_ bytes: [UInt8]) -> Digest
}

extension DERFields {
    static func readDigest(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> Digest {
        Digest(unchecked: try readOctets(&nodes, field: field, count: Digest.byteCount...Digest.byteCount))
    }
}
