import LedgerCore
import SwiftASN1

/// Votes in a certificate are sorted by signer, strictly, so a certificate has
/// one encoding and its signers are distinct by construction.
enum VoteList {
    static func read(
        _ nodes: inout ASN1NodeCollection.Iterator, field: String, maxCount: Int = ConsensusLimits.maxReplicas
    ) throws -> [SignedVote] {
        let votes = try DERFields.readSequence(&nodes, field: field, maxCount: maxCount) { try SignedVote(derEncoded: $0) }
        guard isStrictlySorted(votes) else {
            throw FieldViolation(field: field, reason: "votes not in strictly increasing replica order")
        }
        return votes
    }

    static func write(_ votes: [SignedVote], into coder: inout DER.Serializer) throws {
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            for vote in votes { try coder.serialize(vote) }
        }
    }

    static func isStrictlySorted(_ votes: [SignedVote]) -> Bool {
        zip(votes, votes.dropFirst()).allSatisfy { $0.signer < $1.signer }
    }

    static func sorted(_ votes: some Sequence<SignedVote>) -> [SignedVote] {
        votes.sorted { $0.signer < $1.signer }
    }

    static let maxNodes = 2 + ConsensusLimits.maxReplicas * SignedVote.maxNodeCount
    static let maxBytes = 8 + ConsensusLimits.maxReplicas * SignedVote.maxEncodedSize
}

/// Proof that a batch was prepared in a view: the primary's pre-prepare and 2f
/// matching prepares from other replicas. VIEW-CHANGE carries these, so a
/// request that may have committed is carried into the next view.
///
/// ```
/// PreparedCertificate ::= SEQUENCE { prePrepare Signed{Vote}, prepares SEQUENCE OF Signed{Vote} }
/// ```
public struct PreparedCertificate: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 8 + SignedVote.maxEncodedSize + VoteList.maxBytes
    public static let maxNodeCount = 1 + SignedVote.maxNodeCount + VoteList.maxNodes

    public let prePrepare: SignedVote
    public let prepares: [SignedVote]

    public init(prePrepare: SignedVote, prepares: some Sequence<SignedVote>) {
        self.prePrepare = prePrepare
        self.prepares = VoteList.sorted(prepares)
    }

    public var view: ViewNumber { prePrepare.content.view }
    public var sequence: SequenceNumber { prePrepare.content.sequence }
    public var digest: Digest { prePrepare.content.digest }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let prePrepare = try SignedVote(derEncoded: &nodes)
            let prepares = try VoteList.read(&nodes, field: "prepares")
            return PreparedCertificate(prePrepare: prePrepare, prepares: prepares)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(prePrepare)
            try VoteList.write(prepares, into: &coder)
        }
    }
}

/// 2f+1 signed COMMITs for one (view, sequence, batch digest): proof that the
/// batch is committed at that sequence, whatever view a reader is in. Handed out
/// with every committed batch; light clients check blocks against it.
///
/// ```
/// CommitCertificate ::= SEQUENCE { commits SEQUENCE OF Signed{Vote} }
/// ```
public struct CommitCertificate: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 8 + VoteList.maxBytes
    public static let maxNodeCount = 1 + VoteList.maxNodes

    public let commits: [SignedVote]

    /// `commits` must be non-empty and agree on (view, sequence, digest);
    /// `Verification.isValid` checks that along with the signatures.
    public init(commits: some Sequence<SignedVote>) {
        self.commits = VoteList.sorted(commits)
    }

    public var view: ViewNumber { commits.first?.content.view ?? 0 }
    public var sequence: SequenceNumber { commits.first?.content.sequence ?? 0 }
    public var digest: Digest { commits.first?.content.digest ?? .zero }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            CommitCertificate(commits: try VoteList.read(&nodes, field: "commits"))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try VoteList.write(commits, into: &coder)
        }
    }
}

/// A stable checkpoint: 2f+1 matching CHECKPOINT votes for (sequence, state root).
/// Sequence 0 is the genesis state and needs no votes.
///
/// ```
/// CheckpointCertificate ::= SEQUENCE {
///   sequence   INTEGER,
///   stateRoot  OCTET STRING (SIZE (32)),
///   votes      SEQUENCE OF Signed{Vote}
/// }
/// ```
public struct CheckpointCertificate: CanonicalCodable, Hashable {
    public static let maxEncodedSize = 64 + VoteList.maxBytes
    public static let maxNodeCount = 3 + VoteList.maxNodes

    public let sequence: SequenceNumber
    public let stateRoot: Digest
    public let votes: [SignedVote]

    public init(sequence: SequenceNumber, stateRoot: Digest, votes: some Sequence<SignedVote>) {
        self.sequence = sequence
        self.stateRoot = stateRoot
        self.votes = VoteList.sorted(votes)
    }

    public static func genesis(stateRoot: Digest) -> CheckpointCertificate {
        CheckpointCertificate(sequence: 0, stateRoot: stateRoot, votes: [])
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let sequence = try DERInteger.read(&nodes, field: "sequence")
            let root = try DERFields.readDigest(&nodes, field: "stateRoot")
            let votes = try VoteList.read(&nodes, field: "votes")
            return CheckpointCertificate(sequence: sequence, stateRoot: root, votes: votes)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            DERInteger.write(sequence, into: &coder)
            try DERFields.writeOctets(stateRoot.bytes, into: &coder)
            try VoteList.write(votes, into: &coder)
        }
    }
}
