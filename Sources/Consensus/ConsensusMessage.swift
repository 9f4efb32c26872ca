import LedgerCore
import SwiftASN1

/// Everything replicas send each other, as one canonical type so the transport
/// frames and decodes a single thing and garbage is refused by one strict decoder.
///
/// ```
/// ConsensusMessage ::= SEQUENCE {
///   version  INTEGER (1),
///   kind     INTEGER (0..9),
///   ...      the fields of that kind, in the order of the case below
/// }
/// ```
/// Batches travel next to the signed statements that name their digest and are
/// checked against it, so signatures never cover megabytes twice. In VIEW-CHANGE
/// `batches[i]` belongs to `prepared[i]`; in NEW-VIEW to the i-th non-null pre-prepare.
public enum ConsensusMessage: CanonicalCodable, Hashable {
    case prePrepare(SignedVote, Batch)
    case prepare(SignedVote)
    case commit(SignedVote)
    case checkpoint(SignedVote)
    case viewChange(Signed<ViewChange>, batches: [Batch])
    case newView(Signed<NewView>, batches: [Batch])
    case status(Signed<Status>)
    /// A committed batch with its proof, sent to a replica that is behind.
    case committed(CommitCertificate, Batch)
    /// A stable checkpoint proof, sent to a replica behind it (it then fetches state).
    case stableCheckpoint(CheckpointCertificate)
    /// A client request forwarded to the primary. Unsigned: whether a request is
    /// acceptable is the application's rule (`Configuration.isValidRequest`).
    case request([UInt8])

    public static let supportedVersions = [1]
    public static let maxEncodedSize = 64 + Signed<NewView>.maxEncodedSize + ConsensusLimits.maxAttachedBatchBytes
        + ConsensusLimits.maxWindow * (64 + 16 * ConsensusLimits.maxBatchRequests)
    public static let maxNodeCount = 4 + Signed<NewView>.maxNodeCount + ConsensusLimits.maxWindow * Batch.maxNodeCount

    var kind: UInt64 {
        switch self {
        case .prePrepare: 0
        case .prepare: 1
        case .commit: 2
        case .checkpoint: 3
        case .viewChange: 4
        case .newView: 5
        case .status: 6
        case .committed: 7
        case .stableCheckpoint: 8
        case .request: 9
        }
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            try DERInteger.readVersion(&nodes, supported: Self.supportedVersions)
            let kind = try DERInteger.read(&nodes, field: "kind")
            switch kind {
            case 0: return .prePrepare(try SignedVote(derEncoded: &nodes), try Batch(derEncoded: &nodes))
            case 1: return .prepare(try SignedVote(derEncoded: &nodes))
            case 2: return .commit(try SignedVote(derEncoded: &nodes))
            case 3: return .checkpoint(try SignedVote(derEncoded: &nodes))
            case 4: return .viewChange(try Signed<ViewChange>(derEncoded: &nodes), batches: try Self.readBatches(&nodes))
            case 5: return .newView(try Signed<NewView>(derEncoded: &nodes), batches: try Self.readBatches(&nodes))
            case 6: return .status(try Signed<Status>(derEncoded: &nodes))
            case 7: return .committed(try CommitCertificate(derEncoded: &nodes), try Batch(derEncoded: &nodes))
            case 8: return .stableCheckpoint(try CheckpointCertificate(derEncoded: &nodes))
            case 9: return .request(try DERFields.readOctets(&nodes, field: "request", count: 1...ConsensusLimits.maxRequestBytes))
            default: throw FieldViolation(field: "kind", reason: "unknown message kind \(kind)")
            }
        }
    }

    private static func readBatches(_ nodes: inout ASN1NodeCollection.Iterator) throws -> [Batch] {
        var total = 0
        return try DERFields.readSequence(&nodes, field: "batches", maxCount: ConsensusLimits.maxWindow) { node in
            let batch = try Batch(derEncoded: node)
            total += batch.requestBytes
            guard total <= ConsensusLimits.maxAttachedBatchBytes else {
                throw FieldViolation(field: "batches", reason: "over \(ConsensusLimits.maxAttachedBatchBytes) request bytes in all")
            }
            return batch
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        // Header first at every level that holds batches (DERHeaderFirst.swift).
        try coder.appendLargeConstructedNode(identifier: identifier) { coder in
            DERInteger.write(1, into: &coder)
            DERInteger.write(kind, into: &coder)
            switch self {
            case let .prePrepare(vote, batch):
                try coder.serialize(vote)
                try coder.serialize(batch)
            case let .prepare(vote), let .commit(vote), let .checkpoint(vote):
                try coder.serialize(vote)
            case let .viewChange(change, batches):
                try coder.serialize(change)
                try Self.writeBatches(batches, into: &coder)
            case let .newView(newView, batches):
                try coder.serialize(newView)
                try Self.writeBatches(batches, into: &coder)
            case let .status(status):
                try coder.serialize(status)
            case let .committed(certificate, batch):
                try coder.serialize(certificate)
                try coder.serialize(batch)
            case let .stableCheckpoint(certificate):
                try coder.serialize(certificate)
            case let .request(bytes):
                try DERFields.writeOctets(bytes, into: &coder)
            }
        }
    }

    private static func writeBatches(_ batches: [Batch], into coder: inout DER.Serializer) throws {
        try coder.appendLargeConstructedNode(identifier: .sequence) { coder in
            for batch in batches { try coder.serialize(batch) }
        }
    }
}
