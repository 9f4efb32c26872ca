import LedgerCore
import SwiftASN1

public enum VoteKind: UInt64, Sendable, CaseIterable {
    case prePrepare = 0
    case prepare = 1
    case commit = 2
    /// `digest` is the state root after executing `sequence`; `view` is 0.
    case checkpoint = 3
}

/// The small fixed-shape statement behind PRE-PREPARE, PREPARE, COMMIT and
/// CHECKPOINT. A pre-prepare signs the batch digest, not the batch, so prepared
/// and commit certificates can be checked, stored and forwarded without the
/// batch bytes.
///
/// ```
/// Vote ::= SEQUENCE {
///   kind      INTEGER (0..3),
///   view      INTEGER,
///   sequence  INTEGER,
///   digest    OCTET STRING (SIZE (32)),  -- batch digest, or state root for a checkpoint
///   replica   INTEGER (0..15)            -- the signer
/// }
/// ```
public struct Vote: SignedContent, Hashable {
    public static let maxEncodedSize = 96
    public static let maxNodeCount = 6

    public let kind: VoteKind
    public let view: ViewNumber
    public let sequence: SequenceNumber
    public let digest: Digest
    public let replica: ReplicaID

    public init(kind: VoteKind, view: ViewNumber, sequence: SequenceNumber, digest: Digest, replica: ReplicaID) {
        self.kind = kind
        self.view = view
        self.sequence = sequence
        self.digest = digest
        self.replica = replica
    }

    public var signer: ReplicaID { replica }

    /// Same statement, possibly by a different replica.
    func matches(_ other: Vote) -> Bool {
        kind == other.kind && view == other.view && sequence == other.sequence && digest == other.digest
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let rawKind = try DERInteger.read(&nodes, field: "kind")
            guard let kind = VoteKind(rawValue: rawKind) else {
                throw FieldViolation(field: "kind", reason: "unknown vote kind \(rawKind)")
            }
            let view = try DERInteger.read(&nodes, field: "view")
            let sequence = try DERInteger.read(&nodes, field: "sequence")
            let digest = try DERFields.readDigest(&nodes, field: "digest")
            let replica = try ReplicaID.read(&nodes, field: "replica")
            return Vote(kind: kind, view: view, sequence: sequence, digest: digest, replica: replica)
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            DERInteger.write(kind.rawValue, into: &coder)
            DERInteger.write(view, into: &coder)
            DERInteger.write(sequence, into: &coder)
            try DERFields.writeOctets(digest.bytes, into: &coder)
            try replica.write(into: &coder)
        }
    }
}
