import LedgerCore
import SwiftASN1

/// VIEW-CHANGE (Castro and Liskov, signature variant): a replica leaves its view
/// and states its last stable checkpoint (with proof) and, for every sequence
/// above it, the prepared certificate of the highest view it prepared in.
///
/// ```
/// ViewChange ::= SEQUENCE {
///   newView     INTEGER,
///   replica     INTEGER (0..15),
///   checkpoint  CheckpointCertificate,
///   prepared    SEQUENCE (SIZE (0..64)) OF PreparedCertificate  -- strictly increasing sequence
/// }
/// ```
public struct ViewChange: SignedContent, Hashable {
    public static let maxEncodedSize = 64 + CheckpointCertificate.maxEncodedSize
        + ConsensusLimits.maxWindow * PreparedCertificate.maxEncodedSize
    public static let maxNodeCount = 4 + CheckpointCertificate.maxNodeCount
        + ConsensusLimits.maxWindow * PreparedCertificate.maxNodeCount

    public let newView: ViewNumber
    public let replica: ReplicaID
    public let checkpoint: CheckpointCertificate
    public let prepared: [PreparedCertificate]

    public init(newView: ViewNumber, replica: ReplicaID, checkpoint: CheckpointCertificate, prepared: [PreparedCertificate]) {
        self.newView = newView
        self.replica = replica
        self.checkpoint = checkpoint
        self.prepared = prepared.sorted { $0.sequence < $1.sequence }
    }

    public var signer: ReplicaID { replica }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let view = try DERInteger.read(&nodes, field: "newView")
            let replica = try ReplicaID.read(&nodes, field: "replica")
            let checkpoint = try CheckpointCertificate(derEncoded: &nodes)
            let prepared = try DERFields.readSequence(&nodes, field: "prepared", maxCount: ConsensusLimits.maxWindow) {
                try PreparedCertificate(derEncoded: $0)
            }
            guard zip(prepared, prepared.dropFirst()).allSatisfy({ $0.sequence < $1.sequence }) else {
                throw FieldViolation(field: "prepared", reason: "not in strictly increasing sequence order")
            }
            return ViewChange(newView: view, replica: replica, checkpoint: checkpoint, prepared: prepared)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        // Header first: up to a window of certificates (DERHeaderFirst.swift).
        try coder.appendLargeConstructedNode(identifier: identifier) { coder in
            DERInteger.write(newView, into: &coder)
            try replica.write(into: &coder)
            try coder.serialize(checkpoint)
            try coder.appendLargeConstructedNode(identifier: .sequence) { coder in
                for certificate in prepared { try coder.serialize(certificate) }
            }
        }
    }
}

/// NEW-VIEW: the new primary's proof (2f+1 VIEW-CHANGEs) and the pre-prepares
/// that every replica recomputes from that proof and must find identical.
///
/// ```
/// NewView ::= SEQUENCE {
///   view         INTEGER,
///   replica      INTEGER (0..15),                      -- the new primary
///   viewChanges  SEQUENCE OF Signed{ViewChange},       -- strictly increasing signer
///   prePrepares  SEQUENCE (SIZE (0..64)) OF Signed{Vote}  -- strictly increasing sequence
/// }
/// ```
public struct NewView: SignedContent, Hashable {
    public static let maxEncodedSize = 64 + ConsensusLimits.maxReplicas * Signed<ViewChange>.maxEncodedSize
        + ConsensusLimits.maxWindow * SignedVote.maxEncodedSize
    public static let maxNodeCount = 5 + ConsensusLimits.maxReplicas * Signed<ViewChange>.maxNodeCount
        + ConsensusLimits.maxWindow * SignedVote.maxNodeCount

    public let view: ViewNumber
    public let replica: ReplicaID
    public let viewChanges: [Signed<ViewChange>]
    public let prePrepares: [SignedVote]

    public init(view: ViewNumber, replica: ReplicaID, viewChanges: [Signed<ViewChange>], prePrepares: [SignedVote]) {
        self.view = view
        self.replica = replica
        self.viewChanges = viewChanges.sorted { $0.signer < $1.signer }
        self.prePrepares = prePrepares.sorted { $0.content.sequence < $1.content.sequence }
    }

    public var signer: ReplicaID { replica }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let view = try DERInteger.read(&nodes, field: "view")
            let replica = try ReplicaID.read(&nodes, field: "replica")
            let changes = try DERFields.readSequence(&nodes, field: "viewChanges", maxCount: ConsensusLimits.maxReplicas) {
                try Signed<ViewChange>(derEncoded: $0)
            }
            guard zip(changes, changes.dropFirst()).allSatisfy({ $0.signer < $1.signer }) else {
                throw FieldViolation(field: "viewChanges", reason: "not in strictly increasing replica order")
            }
            let prePrepares = try DERFields.readSequence(&nodes, field: "prePrepares", maxCount: ConsensusLimits.maxWindow) {
                try SignedVote(derEncoded: $0)
            }
            guard zip(prePrepares, prePrepares.dropFirst()).allSatisfy({ $0.content.sequence < $1.content.sequence }) else {
                throw FieldViolation(field: "prePrepares", reason: "not in strictly increasing sequence order")
            }
            return NewView(view: view, replica: replica, viewChanges: changes, prePrepares: prePrepares)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        // Header first: 2f+1 VIEW-CHANGEs and a window of votes (DERHeaderFirst.swift).
        try coder.appendLargeConstructedNode(identifier: identifier) { coder in
            DERInteger.write(view, into: &coder)
            try replica.write(into: &coder)
            try coder.appendLargeConstructedNode(identifier: .sequence) { coder in
                for change in viewChanges { try coder.serialize(change) }
            }
            try coder.appendLargeConstructedNode(identifier: .sequence) { coder in
                for vote in prePrepares { try coder.serialize(vote) }
            }
        }
    }
}

/// STATUS, broadcast on a timer: how far a replica got. Peers answer with what
/// it lacks (messages, certificates, the NEW-VIEW, a stable checkpoint), which is
/// how lost messages are recovered without per-message acknowledgements.
///
/// ```
/// Status ::= SEQUENCE {
///   view              INTEGER,    -- the view the replica is in, or changing to
///   changing          BOOLEAN,
///   committedThrough  INTEGER,    -- every sequence up to here is committed
///   stableSequence    INTEGER,
///   replica           INTEGER (0..15)
/// }
/// ```
public struct Status: SignedContent, Hashable {
    public static let maxEncodedSize = 64
    public static let maxNodeCount = 6

    public let view: ViewNumber
    public let changing: Bool
    public let committedThrough: SequenceNumber
    public let stableSequence: SequenceNumber
    public let replica: ReplicaID

    public init(view: ViewNumber, changing: Bool, committedThrough: SequenceNumber, stableSequence: SequenceNumber, replica: ReplicaID) {
        self.view = view
        self.changing = changing
        self.committedThrough = committedThrough
        self.stableSequence = stableSequence
        self.replica = replica
    }

    public var signer: ReplicaID { replica }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            Status(
                view: try DERInteger.read(&nodes, field: "view"),
                changing: try DERFields.readBool(&nodes, field: "changing"),
                committedThrough: try DERInteger.read(&nodes, field: "committedThrough"),
                stableSequence: try DERInteger.read(&nodes, field: "stableSequence"),
                replica: try ReplicaID.read(&nodes, field: "replica"))
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            DERInteger.write(view, into: &coder)
            try coder.serialize(changing)
            DERInteger.write(committedThrough, into: &coder)
            DERInteger.write(stableSequence, into: &coder)
            try replica.write(into: &coder)
        }
    }
}
