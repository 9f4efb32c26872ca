import LedgerCore
import SwiftASN1

/// One replica's statement, signed after it executed a block: at `height` the
/// chain's block has hash `blockHash`, and executing it left the state with
/// root `stateRoot`.
///
/// A commit certificate signs only the batch digest: headers and state roots
/// are derived after commit, so nothing in PBFT itself vouches for them. These
/// attestations do. 2f+1 matching ones (a `StateCertificate`) let a client
/// that trusts only the genesis validator set check a header and any state
/// proof against that root, whichever node served them.
///
/// ```
/// BlockAttestation ::= SEQUENCE {
///   version    INTEGER (1),
///   height     INTEGER,
///   blockHash  OCTET STRING (SIZE (32)),  -- suite hash of the block header at `height`
///   stateRoot  OCTET STRING (SIZE (32)),  -- state after executing that block
///   replica    INTEGER (0..15)            -- the signer
/// }
/// ```
/// Signed under `SigningDomain.stateAttestation`, so no consensus vote can pass for one.
public struct BlockAttestation: SignedContent, Hashable {
    public static let maxEncodedSize = 128
    public static let maxNodeCount = 6
    public static var signingDomain: SigningDomain { .stateAttestation }

    public let height: UInt64
    public let blockHash: Digest
    public let stateRoot: Digest
    public let replica: ReplicaID

    public init(height: UInt64, blockHash: Digest, stateRoot: Digest, replica: ReplicaID) {
        self.height = height
        self.blockHash = blockHash
        self.stateRoot = stateRoot
        self.replica = replica
    }

    public var signer: ReplicaID { replica }

    /// The same statement, whoever made it.
    public func matches(_ other: BlockAttestation) -> Bool {
        height == other.height && blockHash == other.blockHash && stateRoot == other.stateRoot
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            try DERInteger.readVersion(&nodes, supported: [1])
            let height = try DERInteger.read(&nodes, field: "height")
            let blockHash = try DERFields.readDigest(&nodes, field: "blockHash")
            let stateRoot = try DERFields.readDigest(&nodes, field: "stateRoot")
            let replica = try ReplicaID.read(&nodes, field: "replica")
            return BlockAttestation(height: height, blockHash: blockHash, stateRoot: stateRoot, replica: replica)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            DERInteger.write(1, into: &coder)
            DERInteger.write(height, into: &coder)
            try DERFields.writeOctets(blockHash.bytes, into: &coder)
            try DERFields.writeOctets(stateRoot.bytes, into: &coder)
            try replica.write(into: &coder)
        }
    }
}

public typealias SignedAttestation = Signed<BlockAttestation>

/// 2f+1 replicas' matching attestations of one block: the header hash and the
/// state root after it, as a light client checks them.
///
/// ```
/// StateCertificate ::= SEQUENCE { attestations SEQUENCE (SIZE (1..16)) OF Signed{BlockAttestation} }
/// ```
/// The decoder keeps the attestations in the order given, so that
/// `ValidatorSet.check` can name a duplicate or unsorted signer rather than
/// fail to decode; it accepts only strictly increasing signers, so a valid
/// certificate has one encoding.
public struct StateCertificate: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 8 + ConsensusLimits.maxReplicas * SignedAttestation.maxEncodedSize
    public static let maxNodeCount = 2 + ConsensusLimits.maxReplicas * SignedAttestation.maxNodeCount

    public let attestations: [SignedAttestation]

    public init(attestations: [SignedAttestation]) {
        self.attestations = attestations
    }

    /// Sorted by signer, as an honest node assembles it.
    public init(sorting attestations: some Sequence<SignedAttestation>) {
        self.attestations = attestations.sorted { $0.signer < $1.signer }
    }

    public var height: UInt64 { attestations.first?.content.height ?? 0 }
    public var blockHash: Digest { attestations.first?.content.blockHash ?? .zero }
    public var stateRoot: Digest { attestations.first?.content.stateRoot ?? .zero }
    public var signers: [Int] { attestations.map(\.signer.index) }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let list = try DERFields.readSequence(&nodes, field: "attestations", maxCount: ConsensusLimits.maxReplicas) {
                try SignedAttestation(derEncoded: $0)
            }
            guard !list.isEmpty else { throw FieldViolation(field: "attestations", reason: "empty") }
            return StateCertificate(attestations: list)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for attestation in attestations { try coder.serialize(attestation) }
            }
        }
    }
}
