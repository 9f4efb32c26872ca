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

    /// Hashes `input` into the first `Digest.byteCount` bytes of `output`,
    /// which must have room for them. The same digest as `digest(_:)`; for
    /// hot loops (the state tree hashes tens of thousands of nodes a block)
    /// that keep digests inline, where an array per input and per result
    /// would cost more than the hashing.
    func digest(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
}

extension DigestFunction {
    /// Through `digest(_:)`, for functions with nothing faster to offer.
    public func digest(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= Digest.byteCount, "digest output of \(output.count) bytes")
        let result = digest(Array(input))
        result.bytes.withUnsafeBytes { output.copyMemory(from: $0) }
    }
}

extension DERFields {
    public static func readDigest(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> Digest {
        Digest(unchecked: try readOctets(&nodes, field: field, count: Digest.byteCount...Digest.byteCount))
    }
}
