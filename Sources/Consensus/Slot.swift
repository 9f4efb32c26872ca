import LedgerCore

/// One sequence number inside the watermark window.
///
/// The current-view part (pre-prepare, votes) is cleared on every view change;
/// what must outlive views — the best prepared certificate and the commit
/// certificate — is kept until a stable checkpoint covers the slot.
struct Slot: Sendable {
    let sequence: SequenceNumber
    /// The view the fields below `view` belong to.
    var view: ViewNumber
    var prePrepare: SignedVote?
    var batch: Batch?
    /// Request digests of `batch`, computed once; the primary skips them when batching.
    var requestDigests: [Digest] = []
    /// At most one vote per replica and kind per view: memory stays n per slot,
    /// and a replica voting twice only ever gets its first vote counted.
    var prepares: [ReplicaID: SignedVote] = [:]
    var commits: [ReplicaID: SignedVote] = [:]
    var sentCommit = false

    var prepared: PreparedCertificate?
    var preparedBatch: Batch?
    var committed: CommitCertificate?
    var committedBatch: Batch?

    init(sequence: SequenceNumber, view: ViewNumber) {
        self.sequence = sequence
        self.view = view
    }

    mutating func moveTo(view newView: ViewNumber) {
        guard newView != view else { return }
        view = newView
        prePrepare = nil
        batch = nil
        requestDigests = []
        prepares = [:]
        commits = [:]
        sentCommit = false
    }

    /// Nothing here would survive into a VIEW-CHANGE or execution.
    var isDisposable: Bool { prepared == nil && committed == nil && prePrepare == nil }
}
