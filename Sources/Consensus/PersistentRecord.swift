import LedgerCore
import SwiftASN1

/// What a replica asks its driver to make durable. Together these are all that
/// safety needs across a crash: the view it is in, every pre-prepare it accepted
/// (and so voted for), every certificate it acted on, its VIEW-CHANGE and
/// NEW-VIEW, and its stable checkpoint.
///
/// ```
/// PersistentRecord ::= SEQUENCE { version INTEGER (1), kind INTEGER (0..7), ... }
/// ```
public enum PersistentRecord: CanonicalCodable, Hashable {
    /// Entered `view`; `changing` until its NEW-VIEW is accepted.
    case view(ViewNumber, changing: Bool)
    /// Accepted a pre-prepare (the primary: proposed it; a backup: sent PREPARE for it).
    case accepted(SignedVote, Batch)
    /// Prepared, about to send COMMIT.
    case prepared(PreparedCertificate, Batch)
    case committed(CommitCertificate, Batch)
    case checkpointVote(SignedVote)
    /// Sent this VIEW-CHANGE (implies `view(newView, changing: true)`).
    case viewChange(Signed<ViewChange>, batches: [Batch])
    /// Sent or accepted this NEW-VIEW (implies `view(view, changing: false)`). Its
    /// batches are in the `accepted` records that follow it.
    case newView(Signed<NewView>)
    case stableCheckpoint(CheckpointCertificate)

    public static let supportedVersions = [1]
    public static let maxEncodedSize = ConsensusMessage.maxEncodedSize
    public static let maxNodeCount = ConsensusMessage.maxNodeCount

    /// The sequence number a record is about, if any: a stable checkpoint at or
    /// above it makes the record obsolete.
    public var sequence: SequenceNumber? {
        switch self {
        case let .accepted(vote, _): vote.content.sequence
        case let .prepared(certificate, _): certificate.sequence
        case let .committed(certificate, _): certificate.sequence
        case let .checkpointVote(vote): vote.content.sequence
        default: nil
        }
    }

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            try DERInteger.readVersion(&nodes, supported: Self.supportedVersions)
            let kind = try DERInteger.read(&nodes, field: "kind")
            switch kind {
            case 0: return .view(try DERInteger.read(&nodes, field: "view"), changing: try DERFields.readBool(&nodes, field: "changing"))
            case 1: return .accepted(try SignedVote(derEncoded: &nodes), try Batch(derEncoded: &nodes))
            case 2: return .prepared(try PreparedCertificate(derEncoded: &nodes), try Batch(derEncoded: &nodes))
            case 3: return .committed(try CommitCertificate(derEncoded: &nodes), try Batch(derEncoded: &nodes))
            case 4: return .checkpointVote(try SignedVote(derEncoded: &nodes))
            case 5:
                let change = try Signed<ViewChange>(derEncoded: &nodes)
                let batches = try DERFields.readSequence(&nodes, field: "batches", maxCount: ConsensusLimits.maxWindow) {
                    try Batch(derEncoded: $0)
                }
                return .viewChange(change, batches: batches)
            case 6: return .newView(try Signed<NewView>(derEncoded: &nodes))
            case 7: return .stableCheckpoint(try CheckpointCertificate(derEncoded: &nodes))
            default: throw FieldViolation(field: "kind", reason: "unknown record kind \(kind)")
            }
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        // Header first: most records carry batches (DERHeaderFirst.swift).
        try coder.appendLargeConstructedNode(identifier: identifier) { coder in
            DERInteger.write(1, into: &coder)
            switch self {
            case let .view(view, changing):
                DERInteger.write(0, into: &coder)
                DERInteger.write(view, into: &coder)
                try coder.serialize(changing)
            case let .accepted(vote, batch):
                DERInteger.write(1, into: &coder)
                try coder.serialize(vote)
                try coder.serialize(batch)
            case let .prepared(certificate, batch):
                DERInteger.write(2, into: &coder)
                try coder.serialize(certificate)
                try coder.serialize(batch)
            case let .committed(certificate, batch):
                DERInteger.write(3, into: &coder)
                try coder.serialize(certificate)
                try coder.serialize(batch)
            case let .checkpointVote(vote):
                DERInteger.write(4, into: &coder)
                try coder.serialize(vote)
            case let .viewChange(change, batches):
                DERInteger.write(5, into: &coder)
                try coder.serialize(change)
                try coder.appendLargeConstructedNode(identifier: .sequence) { coder in
                    for batch in batches { try coder.serialize(batch) }
                }
            case let .newView(newView):
                DERInteger.write(6, into: &coder)
                try coder.serialize(newView)
            case let .stableCheckpoint(certificate):
                DERInteger.write(7, into: &coder)
                try coder.serialize(certificate)
            }
        }
    }
}

/// The durable image a driver keeps: records folded as they are persisted, with
/// everything a later record supersedes dropped, so it stays within one window.
/// A replica restarted from it (`Replica(restoring:)`) never signs anything that
/// conflicts with what it signed before the crash.
public struct PersistentState: Sendable, Hashable {
    public private(set) var view: ViewNumber = 0
    public private(set) var changing = false
    public private(set) var stable: CheckpointCertificate?
    /// Per sequence, the accepted pre-prepare of the highest view.
    public private(set) var accepted: [SequenceNumber: AcceptedPrePrepare] = [:]
    /// Per sequence, the prepared certificate of the highest view.
    public private(set) var prepared: [SequenceNumber: PreparedEntry] = [:]
    public private(set) var committed: [SequenceNumber: CommittedBatch] = [:]
    public private(set) var checkpointVotes: [SequenceNumber: SignedVote] = [:]
    public private(set) var viewChange: Signed<ViewChange>?
    public private(set) var viewChangeBatches: [Batch] = []
    public private(set) var newView: Signed<NewView>?

    public struct AcceptedPrePrepare: Sendable, Hashable {
        public let vote: SignedVote
        public let batch: Batch
    }

    public struct PreparedEntry: Sendable, Hashable {
        public let certificate: PreparedCertificate
        public let batch: Batch
    }

    public init() {}

    public mutating func apply(_ record: PersistentRecord) {
        let floor = stable?.sequence ?? 0
        if let sequence = record.sequence, sequence <= floor { return }
        switch record {
        case let .view(view, changing):
            enter(view: view, changing: changing)
        case let .accepted(vote, batch):
            let sequence = vote.content.sequence
            if let existing = accepted[sequence], existing.vote.content.view > vote.content.view { return }
            accepted[sequence] = AcceptedPrePrepare(vote: vote, batch: batch)
        case let .prepared(certificate, batch):
            if let existing = prepared[certificate.sequence], existing.certificate.view >= certificate.view { return }
            prepared[certificate.sequence] = PreparedEntry(certificate: certificate, batch: batch)
        case let .committed(certificate, batch):
            if committed[certificate.sequence] == nil {
                committed[certificate.sequence] = CommittedBatch(sequence: certificate.sequence, batch: batch, certificate: certificate)
            }
        case let .checkpointVote(vote):
            checkpointVotes[vote.content.sequence] = vote
        case let .viewChange(change, batches):
            if let existing = viewChange, existing.content.newView >= change.content.newView { return }
            viewChange = change
            viewChangeBatches = batches
            enter(view: change.content.newView, changing: true)
        case let .newView(newView):
            if let existing = self.newView, existing.content.view >= newView.content.view { return }
            self.newView = newView
            enter(view: newView.content.view, changing: false)
        case let .stableCheckpoint(certificate):
            guard certificate.sequence > floor || stable == nil else { return }
            stable = certificate
            accepted = accepted.filter { $0.key > certificate.sequence }
            prepared = prepared.filter { $0.key > certificate.sequence }
            committed = committed.filter { $0.key > certificate.sequence }
            checkpointVotes = checkpointVotes.filter { $0.key > certificate.sequence }
        }
    }

    /// Views only move forward; within a view, "changing" only turns into "normal".
    private mutating func enter(view: ViewNumber, changing: Bool) {
        if view > self.view || (view == self.view && self.changing && !changing) {
            self.view = view
            self.changing = changing
        }
    }

    /// The compacted records, in an order that rebuilds this state when applied.
    public var records: [PersistentRecord] {
        var out: [PersistentRecord] = []
        if let stable { out.append(.stableCheckpoint(stable)) }
        if let viewChange { out.append(.viewChange(viewChange, batches: viewChangeBatches)) }
        if let newView { out.append(.newView(newView)) }
        out.append(.view(view, changing: changing))
        for key in accepted.keys.sorted() { out.append(.accepted(accepted[key]!.vote, accepted[key]!.batch)) }
        for key in prepared.keys.sorted() { out.append(.prepared(prepared[key]!.certificate, prepared[key]!.batch)) }
        for key in committed.keys.sorted() { out.append(.committed(committed[key]!.certificate, committed[key]!.batch)) }
        for key in checkpointVotes.keys.sorted() { out.append(.checkpointVote(checkpointVotes[key]!)) }
        return out
    }
}
