import Consensus
import LedgerCore
import SwiftASN1

/// A committed block as archived by the node: the block, the time the primary
/// proposed (the block time may be later, never earlier, see `BlockDerivation`)
/// and the commit certificate that proves 2f+1 replicas agreed to it.
///
/// ```
/// ArchivedBlock ::= SEQUENCE {
///   version            INTEGER (1),
///   block              Block,
///   batchTimestamp     INTEGER (0..2^64-1),
///   certificate        CommitCertificate
/// }
/// ```
/// The consensus batch is recovered exactly: its requests are the canonical
/// encodings of the block's transactions, in order.
public struct ArchivedBlock: CanonicalCodable, Hashable {
    public static let supportedVersions = [1]
    public static let maxEncodedSize = Block.maxEncodedSize + CommitCertificate.maxEncodedSize + 64
    public static let maxNodeCount = 4 + Block.maxNodeCount + CommitCertificate.maxNodeCount

    public let block: Block
    public let batchTimestamp: UInt64
    public let certificate: CommitCertificate

    public init(block: Block, batchTimestamp: UInt64, certificate: CommitCertificate) {
        self.block = block
        self.batchTimestamp = batchTimestamp
        self.certificate = certificate
    }

    /// The batch consensus agreed on.
    public func batch() throws(CanonicalError) -> Batch {
        try Batch(timestamp: batchTimestamp, requests: block.transactions.map { Canonical.encode($0) })
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: Self.supportedVersions)
            let block = try Block(derEncoded: &nodes)
            let timestamp = try DERFields.readUInt64(&nodes, field: "batchTimestamp")
            let certificate = try CommitCertificate(derEncoded: &nodes)
            return ArchivedBlock(block: block, batchTimestamp: timestamp, certificate: certificate)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try coder.serialize(block)
            try coder.serialize(batchTimestamp)
            try coder.serialize(certificate)
        }
    }
}
