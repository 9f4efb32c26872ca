import SwiftASN1

/// A header and the transactions it commits to.
///
/// ```
/// Block ::= SEQUENCE {
///   version       INTEGER (1),
///   header        BlockHeader,
///   transactions  SEQUENCE (SIZE (0..10000)) OF SignedTransaction
/// }
/// ```
public struct Block: CanonicalCodable, Hashable {
    public static let supportedVersions = [1]
    public static let maxTransactions = 10_000
    public static let maxEncodedSize = 16 * 1024 * 1024
    /// SEQUENCE, version, header, the transaction list and its elements.
    public static let maxNodeCount = 3 + BlockHeader.maxNodeCount + maxTransactions * SignedTransaction.maxNodeCount

    public let header: BlockHeader
    public let transactions: [SignedTransaction]
    /// Each transaction's canonical encoding: the Merkle tree leaves that
    /// `header.transactionsRoot` must commit to, and what the block's own
    /// encoding is made of. Encoded once here, since every block is encoded
    /// at least once anyway (for its size, below), and the executor needs
    /// the leaves again for the root check and the ids; it costs the block's
    /// size again in memory.
    public let transactionLeaves: [[UInt8]]

    public init(header: BlockHeader, transactions: [SignedTransaction]) throws(CanonicalError) {
        guard transactions.count <= Self.maxTransactions else {
            throw .invalidField(
                type: "Block", field: "transactions",
                reason: "\(transactions.count) transactions, over the limit of \(Self.maxTransactions)")
        }
        self.header = header
        self.transactions = transactions
        var leaves: [[UInt8]] = []
        leaves.reserveCapacity(transactions.count)
        for transaction in transactions {
            var coder = DER.Serializer()
            guard (try? coder.serialize(transaction)) != nil else {
                throw .invalidField(type: "Block", field: "transactions", reason: "a transaction does not encode")
            }
            leaves.append(coder.serializedBytes)
        }
        self.transactionLeaves = leaves
        // 10,000 transactions of up to 66 KB each could far exceed the block cap,
        // so the size is checked here, where the caller can still react, rather
        // than discovered when the block is encoded.
        var coder = DER.Serializer()
        let size = (try? coder.serialize(self)).map { coder.serializedBytes.count } ?? Int.max
        guard size <= Self.maxEncodedSize else {
            throw .invalidField(
                type: "Block", field: "transactions",
                reason: "the block would encode to \(size) bytes, over the limit of \(Self.maxEncodedSize)")
        }
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: Self.supportedVersions)
            let header = try BlockHeader(derEncoded: &nodes)
            guard let listNode = nodes.next() else {
                throw FieldViolation(field: "transactions", reason: "missing")
            }
            let transactions = try DER.sequence(listNode, identifier: .sequence) { items in
                var out: [SignedTransaction] = []
                while let item = items.next() {
                    guard out.count < Self.maxTransactions else {
                        throw FieldViolation(field: "transactions", reason: "more than \(Self.maxTransactions)")
                    }
                    out.append(try SignedTransaction(derEncoded: item))
                }
                return out
            }
            return try Block(header: header, transactions: transactions)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        // Header first: a block is up to megabytes (DERHeaderFirst.swift).
        try coder.appendLargeConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try coder.serialize(header)
            coder.appendLargeConstructedNode(identifier: .sequence) { coder in
                for leaf in transactionLeaves {
                    coder.serializeRawBytes(leaf)
                }
            }
        }
    }
}
