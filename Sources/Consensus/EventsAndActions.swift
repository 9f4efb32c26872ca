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
    /// Bytes from a peer, decoded and verified inside.
    case message([UInt8])
    /// An already decoded message (tests, or a transport that decodes); still verified.
    case received(ConsensusMessage)
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
}

public enum DropReason: String, Sendable, Hashable, CaseIterable {
    case malformed
    case badSignature
    case wrongSender
    case staleView
    case futureView
    case outOfWindow
    case badBatch
    case badCertificate
    case duplicate
    case queueFull
    case badRequest
}

/// Counters for tests, metrics and the simulator's report.
public struct ReplicaStats: Sendable, Hashable {
    public internal(set) var dropped: [DropReason: Int] = [:]
    public internal(set) var viewChangesStarted = 0
    public internal(set) var equivocationsSeen = 0
    public internal(set) var stateTransfers = 0
    public internal(set) var batchesProposed = 0

    public var droppedTotal: Int { dropped.values.reduce(0, +) }
}
