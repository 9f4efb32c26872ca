import Consensus
import LedgerCore
import SwiftASN1

/// A committed block as archived by the node: its header, the batch consensus
/// agreed on (the raw requests, exactly as certified), and the commit
/// certificate that proves 2f+1 replicas agreed to it.
///
/// ```
/// ArchivedBlock ::= SEQUENCE {
///   version      INTEGER (1),
///   header       BlockHeader,
///   batch        Batch,
///   certificate  CommitCertificate
/// }
/// ```
/// The block's transactions are the batch's requests that decode as
/// transactions (`BlockTransactions`), so the archive holds each transaction's
/// bytes once and a peer can always re-check the certificate against them.
public struct ArchivedBlock: CanonicalCodable, Hashable {
    public static let supportedVersions = [1]
    public static let maxEncodedSize = BlockHeader.maxEncodedSize + Batch.maxEncodedSize + CommitCertificate.maxEncodedSize + 64
    public static let maxNodeCount = 4 + BlockHeader.maxNodeCount + Batch.maxNodeCount + CommitCertificate.maxNodeCount

    public let header: BlockHeader
    public let batch: Batch
    public let certificate: CommitCertificate

    public init(header: BlockHeader, batch: Batch, certificate: CommitCertificate) {
        self.header = header
        self.batch = batch
        self.certificate = certificate
    }

    /// The ledger block: the header and the batch's transactions.
    public func block() throws(CanonicalError) -> Block {
        try Block(header: header, transactions: BlockTransactions.decode(batch).transactions)
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: Self.supportedVersions)
            return ArchivedBlock(
                header: try BlockHeader(derEncoded: &nodes), batch: try Batch(derEncoded: &nodes),
                certificate: try CommitCertificate(derEncoded: &nodes))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        // Header first: it carries the block's batch (DERHeaderFirst.swift).
        try coder.appendLargeConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try coder.serialize(header)
            try coder.serialize(batch)
            try coder.serialize(certificate)
        }
    }
}

/// The one rule for turning a committed batch's requests into a block's
/// transactions, used when executing and when reading the archive.
enum BlockTransactions {
    /// Backups refuse batches holding undecodable requests (`isValidRequest`),
    /// so a request is skipped only under a byzantine quorum; every replica
    /// skips the same ones.
    static func decode(_ batch: Batch) -> (transactions: [SignedTransaction], skipped: Int) {
        var transactions: [SignedTransaction] = []
        var skipped = 0
        for request in batch.requests {
            guard let transaction = try? Canonical.decode(SignedTransaction.self, from: request) else {
                skipped += 1
                continue
            }
            transactions.append(transaction)
        }
        return (transactions, skipped)
    }
}
