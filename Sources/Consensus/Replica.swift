import LedgerCore

/// A PBFT replica (Castro and Liskov, OSDI 1999 / TOCS 2002, the signature
/// variant) as a value: `step(event, now:)` returns the actions the driver must
/// carry out. No clock, socket, thread or disk inside, so the node and the
/// simulator run the same code.
///
/// The replica orders opaque requests into batches; it knows nothing of ledger
/// rules. For each sequence number it hands out the batch and a commit
/// certificate (2f+1 signed COMMITs).
public struct Replica: Sendable {
    public let config: Configuration
    public let id: ReplicaID
    let signer: any MessageSigner
    let verifier: any SignatureVerifier
    let hash: any DigestFunction
    let nullDigest: Digest

    /// The driver's time as of the latest event; batch timestamps derive from it.
    public internal(set) var now: Millis = 0

    public internal(set) var view: ViewNumber = 0
    /// Between sending VIEW-CHANGE for `view` and accepting its NEW-VIEW.
    public internal(set) var isChangingView = false
    /// Consecutive view changes without an executed request: the backoff exponent.
    var viewChangeAttempts = 0
    /// The latest valid VIEW-CHANGE of each replica (including this one): n at most.
    var viewChanges: [ReplicaID: ReceivedViewChange] = [:]
    /// The NEW-VIEW that started the current view, relayed to replicas that missed it.
    var currentNewView: Signed<NewView>?

    var log: [SequenceNumber: Slot] = [:]
    public internal(set) var stable: CheckpointCertificate
    var checkpointVotes: [SequenceNumber: [ReplicaID: SignedVote]] = [:]

    public internal(set) var lastExecuted: SequenceNumber
    /// Highest sequence handed out in `.execute`; ahead of `lastExecuted` until the driver answers.
    var executeIssued: SequenceNumber
    var lastExecutedTimestamp: Millis = 0
    /// A checkpoint vote lost in a crash, cast again on `.start` (see the restoring init).
    var missedCheckpointVote: (sequence: SequenceNumber, root: Digest)?
    /// The checkpoint whose state is being fetched, if any; execution waits for it.
    var fetching: CheckpointCertificate?

    /// The primary's next sequence number to assign in this view.
    var nextSequence: SequenceNumber
    var batchDue = false

    var pending = PendingRequests()
    var recentlyExecuted: RecentRequests

    var timerGenerations: [TimerKind: UInt64] = [:]
    var runningTimers: Set<TimerKind> = []

    var statusTicks = 0
    static let idleStatusEvery = 5
    /// Highest sequence number seen in any valid message: beyond `committedThrough`, this replica is behind.
    var highestSeen: SequenceNumber = 0
    /// When our VIEW-CHANGE or NEW-VIEW was last resent to each peer.
    var bulkResent: [ReplicaID: Millis] = [:]
    /// A few STATUS rounds: a peer that lost the message gets it again soon,
    /// without a multi-megabyte resend on every STATUS.
    var bulkResendInterval: Millis { max(config.statusInterval * 4, config.viewChangeTimeout / 4) }

    var output: [Action] = []
    public internal(set) var stats = ReplicaStats()
    /// The peer whose message is being handled, for the length of one step:
    /// offences are charged to it. Not state: never persisted, nil between steps.
    var link: ReplicaID?

    struct ReceivedViewChange: Sendable {
        let signed: Signed<ViewChange>
        /// Attached batches by digest, each checked against its prepared certificate.
        let batches: [Digest: Batch]
        var newView: ViewNumber { signed.content.newView }
    }

    /// A fresh replica at genesis.
    public init(
        config: Configuration, signer: any MessageSigner, verifier: any SignatureVerifier, hash: any DigestFunction
    ) {
        self.config = config
        self.id = signer.replica
        self.signer = signer
        self.verifier = verifier
        self.hash = hash
        nullDigest = Batch.null.digest(using: hash)
        precondition(id.index < config.replicaCount, "signer \(id) is not in a set of \(config.replicaCount)")
        stable = .genesis(stateRoot: config.genesisRoot)
        lastExecuted = 0
        executeIssued = 0
        nextSequence = 1
        recentlyExecuted = RecentRequests(capacity: 4 * config.maxPendingRequests)
    }

    // MARK: stepping

    public mutating func step(_ event: Event, now: Millis) -> [Action] {
        self.now = max(self.now, now)
        precondition(output.isEmpty)
        switch event {
        case .start: onStart()
        case let .request(bytes): admit(bytes)
        case let .message(bytes, from):
            link = from
            receive(bytes)
        case let .received(message, from):
            link = from
            handle(message)
        case let .timerFired(timer): onTimer(timer)
        case let .executed(sequence, root): onExecuted(sequence, root: root)
        case let .stateTransferred(sequence, root): onStateTransferred(sequence, root: root)
        case let .stateTransferFailed(sequence): onStateTransferFailed(sequence)
        }
        link = nil
        checkInvariants()
        defer { output = [] }
        return output
    }

    mutating func receive(_ bytes: [UInt8]) {
        do {
            handle(try Canonical.decode(ConsensusMessage.self, from: bytes))
        } catch {
            drop(.malformed)
        }
    }

    mutating func handle(_ message: ConsensusMessage) {
        switch message {
        case let .prePrepare(vote, batch): onPrePrepare(vote, batch)
        case let .prepare(vote): onPrepare(vote)
        case let .commit(vote): onCommit(vote)
        case let .checkpoint(vote): onCheckpoint(vote)
        case let .viewChange(change, batches): onViewChange(change, batches: batches)
        case let .newView(newView, batches): onNewView(newView, batches: batches)
        case let .status(status): onStatus(status)
        case let .committed(certificate, batch): onCommitCertificate(certificate, batch)
        case let .stableCheckpoint(certificate): onStableCheckpoint(certificate)
        case let .request(bytes): admit(bytes)
        }
    }

    mutating func onStart() {
        setTimer(.status, after: config.statusInterval)
        if let missed = missedCheckpointVote {
            missedCheckpointVote = nil
            voteCheckpoint(missed.sequence, root: missed.root)
        }
        if isChangingView {
            if let own = viewChanges[id] {
                output.append(.broadcast(.viewChange(own.signed, batches: own.signed.content.prepared.map { own.batches[$0.digest]! })))
            }
            checkViewChangeQuorum()
        }
        if stable.sequence > executeIssued { requestStateTransfer() }
        executeReady()
        broadcastStatus()
    }

    // MARK: inspection

    public var isPrimary: Bool { config.primary(of: view) == id }
    public var lowWatermark: SequenceNumber { stable.sequence }
    public var highWatermark: SequenceNumber { stable.sequence + config.window }
    public var pendingRequestCount: Int { pending.count }
    public var logSize: Int { log.count }
    public var stateTransferTarget: SequenceNumber? { fetching?.sequence }

    /// Highest c such that every sequence up to c is committed here (or below the stable checkpoint).
    public var committedThrough: SequenceNumber {
        var through = max(stable.sequence, executeIssued)
        while log[through + 1]?.committed != nil { through += 1 }
        return through
    }

    var hasWorkInFlight: Bool {
        if !pending.isEmpty || isChangingView || fetching != nil || highestSeen > committedThrough { return true }
        // An executed checkpoint not yet stable still needs votes exchanged.
        if lastExecuted >= stable.sequence + config.checkpointInterval { return true }
        return log.values.contains { $0.committed == nil && ($0.prePrepare != nil || !$0.prepares.isEmpty || !$0.commits.isEmpty) }
    }

    func inWindow(_ sequence: SequenceNumber) -> Bool {
        sequence > lowWatermark && sequence <= highWatermark
    }

    // MARK: helpers

    func sign<Content: SignedContent>(_ content: Content) -> Signed<Content> {
        precondition(content.signer == id)
        return Signed.signing(content, with: signer, cluster: config.cluster)
    }

    func verify<Content: SignedContent>(_ signed: Signed<Content>) -> Bool {
        signed.signer.index < config.replicaCount
            && verifier.verify(signed.signature, message: signed.signingMessage(cluster: config.cluster), by: signed.signer)
    }

    /// Counts the drop; one that proves a fault is charged to `offender`, by
    /// default the peer the message came from, if the driver said which.
    mutating func drop(_ reason: DropReason, offender: ReplicaID? = nil) {
        stats.dropped[reason, default: 0] += 1
        guard reason.provesSenderFaulty, let culprit = offender ?? link, culprit != id else { return }
        stats.offences[culprit, default: [:]][reason, default: 0] += 1
        output.append(.offence(culprit, reason))
    }

    /// Refuses a message this replica is named the signer of. Correct peers
    /// relay our PRE-PREPAREs and NEW-VIEWs back to us (`relayed`), never our
    /// other messages; a relayed copy is a duplicate only if genuinely ours.
    mutating func dropOwn<Content: SignedContent>(_ signed: Signed<Content>, relayed: Bool) {
        drop(relayed && verify(signed) ? .duplicate : .ownMessage)
    }

    /// For the kinds only their signer sends: a different peer replays them.
    func isFromSigner(_ signer: ReplicaID) -> Bool {
        link == nil || link == signer
    }

    mutating func setTimer(_ kind: TimerKind, after delay: Millis) {
        let generation = timerGenerations[kind, default: 0] + 1
        timerGenerations[kind] = generation
        runningTimers.insert(kind)
        output.append(.setTimer(TimerID(kind: kind, generation: generation), after: delay))
    }

    mutating func cancelTimer(_ kind: TimerKind) {
        guard runningTimers.remove(kind) != nil else { return }
        timerGenerations[kind, default: 0] += 1
        output.append(.cancelTimer(kind))
    }

    mutating func onTimer(_ timer: TimerID) {
        guard timerGenerations[timer.kind] == timer.generation, runningTimers.remove(timer.kind) != nil else { return }
        switch timer.kind {
        case .status:
            // Busy replicas report every interval; idle ones only as a slow
            // heartbeat, which is all a replica that missed everything needs to
            // be told it is behind.
            statusTicks += 1
            if hasWorkInFlight || statusTicks % Self.idleStatusEvery == 0 { broadcastStatus() }
            if fetching == nil && stable.sequence > executeIssued { requestStateTransfer() }
            setTimer(.status, after: config.statusInterval)
        case .batch:
            batchDue = true
            maybePropose()
        case .progress:
            // A replica fetching state executes nothing until the transfer ends:
            // the wait is its own, not the primary's (see `armProgressTimer`).
            if isChangingView || (!pending.isEmpty && fetching == nil) {
                startViewChange(to: view + 1)
            }
        }
    }

    /// The request timer runs while this replica waits for some request to
    /// execute, and only while it can execute: a replica fetching state (a
    /// node restarted with an empty data folder, or one that fell behind a
    /// stable checkpoint) would otherwise suspect every primary after
    /// `requestTimeout` for a delay of its own making. Its VIEW-CHANGE then
    /// needs just one more from a correct replica to reach f+1 and drag the
    /// whole cluster to the next view, and as primary it abandons its own
    /// view; while its transfer outlasted the views, no view lasted long
    /// enough to commit (seen in the chaos campaign's wipe fault).
    mutating func armProgressTimer() {
        guard !isChangingView, fetching == nil, !pending.isEmpty, !runningTimers.contains(.progress) else { return }
        setTimer(.progress, after: config.requestTimeout)
    }

    /// Invariants cheap enough to check after every step, kept in release builds:
    /// a replica that breaks one must stop rather than sign something wrong.
    func checkInvariants() {
        precondition(lastExecuted <= executeIssued, "executed \(lastExecuted) beyond issued \(executeIssued)")
        precondition(log.count <= Int(config.window), "log holds \(log.count) slots, over the window")
        precondition(viewChanges.count <= config.replicaCount)
        precondition(pending.count <= config.maxPendingRequests)
        precondition(checkpointVotes.count <= Int(config.window / config.checkpointInterval) + 1)
        precondition(!isPrimary || isChangingView || nextSequence > lowWatermark, "primary would reuse a sequence below the watermark")
        for key in log.keys { precondition(inWindow(key), "slot \(key) outside (\(lowWatermark), \(highWatermark)]") }
    }
}
