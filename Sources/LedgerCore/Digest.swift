import SwiftASN1

/// A 32-byte hash: SHA-256 or SM3, depending on the chain's crypto suite.
public struct Digest: FixedSizeBytes {
    public static let byteCount = 32
    public static let zero = Digest(unchecked: [UInt8](repeating: 0, count: byteCount))

    public let bytes: [UInt8]

    public init(unchecked bytes: [UInt8]) {
        precondition(bytes.count == Self.byteCount)
        self.bytes = bytes
    }
}

/// Anything that maps bytes to a `Digest`. `LedgerCrypto`'s suites conform; the
/// Merkle tree and identifiers are written against this so that LedgerCore stays
/// free of C libraries.
public protocol DigestFunction: Sendable {
    func digest(_ bytes: [UInt8]) -> Digest
}

extension DERFields {
    public static func readDigest(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> Digest {
        Digest(unchecked: try readOctets(&nodes, field: field, count: Digest.byteCount...Digest.byteCount))
    }
}
