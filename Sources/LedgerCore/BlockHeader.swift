import SwiftASN1

/// What consensus agrees on and what light clients check proofs against.
///
/// ```
/// BlockHeader ::= SEQUENCE {
///   version           INTEGER (1),
///   chainID           UTF8String (SIZE (1..64)),
///   height            INTEGER (0..2^64-1),
///   previousHash      OCTET STRING (SIZE (32)),  -- zero for genesis
///   timestampMillis   INTEGER (0..2^64-1),       -- set by the primary, bounded by replicas
///   transactionsRoot  OCTET STRING (SIZE (32)),  -- RFC 6962 Merkle root of the SignedTransaction encodings
///   stateRoot         OCTET STRING (SIZE (32)),  -- state after executing the previous block
///   proposer          OCTET STRING (SIZE (20))   -- address of the primary's node key
/// }
/// ```
/// The state root is that of the parent because PBFT executes a block only after
/// it commits; the block at height h+1 then attests the outcome of block h.
public struct BlockHeader: CanonicalCodable, Hashable {
    public static let supportedVersions = [1]
    public static let maxEncodedSize = 512
    /// The SEQUENCE and its eight fields.
    public static let maxNodeCount = 9

    public let chainID: ChainID
    public let height: Height
    public let previousHash: Digest
    public let timestampMillis: UInt64
    public let transactionsRoot: Digest
    public let stateRoot: Digest
    public let proposer: Address

    public init(
        chainID: ChainID, height: Height, previousHash: Digest, timestampMillis: UInt64,
        transactionsRoot: Digest, stateRoot: Digest, proposer: Address
    ) {
        self.chainID = chainID
        self.height = height
        self.previousHash = previousHash
        self.timestampMillis = timestampMillis
        self.transactionsRoot = transactionsRoot
        self.stateRoot = stateRoot
        self.proposer = proposer
    }

    /// The block hash: the suite hash of the canonical header encoding.
    public func hash(using hash: some DigestFunction) -> Digest {
        hash.digest(Canonical.encode(self))
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            _ = try DERFields.readVersion(&nodes, supported: Self.supportedVersions)
            let chainID = try DERFields.readChainID(&nodes)
            let height = try DERFields.readUInt64(&nodes, field: "height")
            let previousHash = try DERFields.readDigest(&nodes, field: "previousHash")
            let timestamp = try DERFields.readUInt64(&nodes, field: "timestampMillis")
            let txRoot = try DERFields.readDigest(&nodes, field: "transactionsRoot")
            let stateRoot = try DERFields.readDigest(&nodes, field: "stateRoot")
            let proposer = try DERFields.readOctets(&nodes, field: "proposer", count: 20...20)
            return BlockHeader(
                chainID: chainID, height: Height(height), previousHash: previousHash, timestampMillis: timestamp,
                transactionsRoot: txRoot, stateRoot: stateRoot, proposer: Address(proposer)!)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try DERFields.writeUTF8(chainID.value, into: &coder)
            try coder.serialize(height.value)
            try DERFields.writeOctets(previousHash.bytes, into: &coder)
            try coder.serialize(timestampMillis)
            try DERFields.writeOctets(transactionsRoot.bytes, into: &coder)
            try DERFields.writeOctets(stateRoot.bytes, into: &coder)
            try DERFields.writeOctets(proposer.bytes, into: &coder)
        }
    }
}
