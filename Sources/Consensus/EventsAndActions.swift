import LedgerCore

public enum TimerKind: String, Sendable, Hashable, CaseIterable {
    /// The primary's wait to fill a batch.
    case batch
    /// In normal operation the request timer (suspect the primary); during a view
    /// change the wait for NEW-VIEW.
    case progress
    /// Periodic STATUS broadcast, which drives all retransmission.
    case status
}

/// A timer is named by kind and generation; a firing whose generation is no
/// longer current (cancelled or re-armed since) is ignored, so a driver's race
/// between cancel and fire is harmless.
public struct TimerID: Hashable, Sendable, CustomStringConvertible {
    public let kind: TimerKind
    public let generation: UInt64

    public var description: String { "\(kind)#\(generation)" }
}

/// Input to `Replica.step`. Each comes with the driver's current time.
public enum Event: Sendable {
    /// Sets the status timer and resumes whatever was in progress; the first event
    /// after construction or restoration.
    case start
    /// A client request from the local mempool.
    case request([UInt8])
    /// Bytes from a peer, decoded and verified inside. `from` is the peer the
    /// authenticated link says sent them, when the driver knows it: what the
    /// replica refuses as proof of a fault is charged to it (`Action.offence`).
    case message([UInt8], from: ReplicaID? = nil)
    /// An already decoded message (tests, or a transport that decodes); still verified.
    case received(ConsensusMessage, from: ReplicaID? = nil)
    case timerFired(TimerID)
    /// The application executed `sequence` (handed out by `.execute`), reaching `stateRoot`.
    case executed(SequenceNumber, stateRoot: Digest)
    /// The application now holds the state of this checkpoint, fetched from a peer.
    case stateTransferred(SequenceNumber, stateRoot: Digest)
    case stateTransferFailed(SequenceNumber)
}

/// A committed batch with its proof.
public struct CommittedBatch: Sendable, Hashable {
    public let sequence: SequenceNumber
    public let batch: Batch
    public let certificate: CommitCertificate
}

/// Output of `Replica.step`, to be carried out in order. A `.persist` must be
/// durable before any later action of the same list is performed: the sends
/// after it depend on it.
public enum Action: Sendable {
    case send(ConsensusMessage, to: ReplicaID)
    /// To every other replica.
    case broadcast(ConsensusMessage)
    case persist(PersistentRecord)
    /// Committed, in sequence order, gap-free: apply it and answer with `.executed`.
    case execute(CommittedBatch)
    /// A batch committed (possibly ahead of execution): clients may be told.
    case reportCommitted(CommittedBatch)
    /// Replaces any timer of the same kind.
    case setTimer(TimerID, after: Millis)
    case cancelTimer(TimerKind)
    /// Fetch the application state at this stable checkpoint from a peer, check
    /// its root, and answer with `.stateTransferred` or `.stateTransferFailed`.
    case fetchState(CheckpointCertificate)
    /// `peer` sent something no correct replica sends (`reason.provesSenderFaulty`).
    /// For the operator only: consensus never acts on it beyond the drop, so a
    /// wrong accusation could not hurt safety, and a driver may ignore it.
    case offence(ReplicaID, DropReason)
}

/// Why the replica refused an input. Some reasons a correct peer causes too
/// (its message was delayed, reordered or retransmitted); the others
/// (`provesSenderFaulty`) only a faulty or malicious one.
public enum DropReason: String, Sendable, Hashable, CaseIterable {
    case malformed
    case badSignature
    /// The signer may not send this kind of message (a PREPARE by the primary,
    /// a PRE-PREPARE or NEW-VIEW by a replica that is not the view's primary).
    case wrongSender
    /// Claims this replica as its signer, and is not a genuine copy of a message
    /// that peers relay (PRE-PREPARE, NEW-VIEW).
    case ownMessage
    /// A PREPARE, COMMIT, CHECKPOINT, STATUS or VIEW-CHANGE from a peer that did
    /// not sign it: correct replicas send only their own of these, so this is a
    /// replay of someone else's message.
    case notFromSigner
    case staleView
    case futureView
    case outOfWindow
    /// The batch does not match the digest it comes with, or a message carries
    /// the wrong number of batches.
    case badBatch
    /// A proposed batch over the limits, with an invalid or repeated request, or null.
    case unacceptableBatch
    /// A proposed batch whose timestamp is too far from this replica's clock or
    /// out of order with its neighbours: a correct primary's batch can be, when
    /// it arrives late or clocks drift.
    case badTimestamp
    /// A NEW-VIEW relayed without a batch this replica lacks: the relaying
    /// replica had already truncated it behind a stable checkpoint.
    case missingBatch
    case badCertificate
    /// Two signed statements of one replica for different digests at the same
    /// (view, sequence): a conflicting PRE-PREPARE, PREPARE or COMMIT. Charged
    /// to the signer, whoever relayed it: the two signatures are the proof.
    case equivocation
    case duplicate
    case queueFull
    case badRequest

    /// True when no correct peer can cause the drop, however the network
    /// delays, reorders or duplicates its messages: every peer relays only
    /// what it has checked itself, and peer links are authenticated, so the
    /// replica it is charged to is faulty (or its key is in other hands).
    public var provesSenderFaulty: Bool {
        switch self {
        case .malformed, .badSignature, .wrongSender, .ownMessage, .notFromSigner, .badBatch, .unacceptableBatch,
             .badCertificate, .equivocation, .badRequest:
            true
        case .staleView, .futureView, .outOfWindow, .badTimestamp, .missingBatch, .duplicate, .queueFull:
            false
        }
    }
}

/// Counters for tests, metrics and the simulator's report.
public struct ReplicaStats: Sendable, Hashable {
    public internal(set) var dropped: [DropReason: Int] = [:]
    public internal(set) var viewChangesStarted = 0
    public internal(set) var equivocationsSeen = 0
    public internal(set) var stateTransfers = 0
    public internal(set) var batchesProposed = 0
    /// The drops that prove a peer faulty, by the peer they are charged to;
    /// the same as the `.offence` actions emitted so far.
    public internal(set) var offences: [ReplicaID: [DropReason: Int]] = [:]

    public var droppedTotal: Int { dropped.values.reduce(0, +) }
}
