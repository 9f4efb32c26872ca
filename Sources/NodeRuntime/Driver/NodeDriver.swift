import Consensus
import Foundation
import LedgerCore
import LedgerState
import Logging
import NodeAPI

/// Drives the pure PBFT replica: feeds it peer messages, client requests and
/// timer firings, and carries out its actions in order — persist (synced before
/// any later send), send, execute, arm timers, fetch state.
///
/// One actor owns the replica, the mempool and the sync state, so every event
/// is processed to completion before the next: the same discipline as the
/// simulator, which runs this replica code under seeded faults.
actor NodeDriver {
    struct Observer: Sendable {
        var blockApplied: @Sendable (_ height: UInt64, _ transactions: Int) -> Void = { _, _ in }
        var viewChanged: @Sendable (_ view: UInt64) -> Void = { _ in }
        var mempoolSize: @Sendable (_ count: Int) -> Void = { _ in }
        var peerOffence: @Sendable (_ peer: Int, _ reason: DropReason) -> Void = { _, _ in }
    }

    struct Snapshot: Sendable {
        let view: UInt64
        let primary: Int
        let changingView: Bool
        let mempoolSize: Int
        let syncing: UInt64?
        let stateTransfers: Int
        let offences: [PeerOffenceCount]
    }

    var replica: Replica
    var mempool: Mempool
    let log: ConsensusLog
    let applier: CommittedBlockApplier
    let network: any PeerTransport
    let archive: BlockArchive
    let logger: Logger
    let observer: Observer
    let replicaCount: Int
    /// Signs this node's attestations of the blocks it executes.
    let signer: any MessageSigner
    var attestations: AttestationPool
    /// The states the API proves answers against.
    let certified: CertifiedStates
    /// This node's attestation of the newest block it applied, and when it was last sent.
    var latestAttestation: SignedAttestation?
    var lastAttestationSentMillis: UInt64 = 0
    static let attestationRepeatMillis: UInt64 = 2_000
    private var timers: [TimerKind: Task<Void, Never>] = [:]
    var sync: SyncProgress?
    private var lastView: UInt64
    /// Set when the node cannot go on safely (the disk refused a write); the
    /// service ends and the process exits non-zero rather than run on without
    /// its log.
    private(set) var failure: String?
    /// Set by `stop()`: inputs still in flight (a timer, a frame) are ignored.
    private var stopped = false
    /// When each peer was last sent blocks (sync serving is rate limited).
    var lastServed: [Int: UInt64] = [:]
    /// The ledger height after the last block this node applied.
    var appliedHeight: UInt64
    private var lastReportMillis: UInt64 = 0
    var offences = PeerOffences()
    /// The origin of the monotonic time that rate-limits offence warnings.
    private let clockOrigin = ContinuousClock.now

    /// Bound on the events one input may cascade into (execute → executed →
    /// checkpoint → …); far above any real cascade.
    static let maxCascade = 100_000
    /// Per tick (250 ms): what is offered again and relayed to every peer.
    static let resubmitBatch = 512
    static let resubmitBytes = 1 << 20
    static let serveIntervalMillis: UInt64 = 50

    init(
        replica: Replica, mempool: Mempool, log: ConsensusLog, applier: CommittedBlockApplier, network: any PeerTransport,
        archive: BlockArchive, logger: Logger, observer: Observer, signer: any MessageSigner, validators: ValidatorSet,
        certified: CertifiedStates
    ) {
        self.signer = signer
        self.attestations = AttestationPool(validators: validators)
        self.certified = certified
        self.replica = replica
        self.mempool = mempool
        self.log = log
        self.applier = applier
        self.network = network
        self.archive = archive
        self.logger = logger
        self.observer = observer
        self.replicaCount = replica.config.replicaCount
        self.lastView = replica.view
        self.appliedHeight = replica.lastExecuted
    }

    // MARK: Inputs

    func start() {
        step(.start)
        attestHead()
    }

    /// A frame from an authenticated peer (the transport proved who sent it).
    func receive(_ bytes: [UInt8], from peer: Int) {
        guard failure == nil, !stopped else { return }
        let decoded: PeerFrame
        do throws(CanonicalError) { decoded = try Canonical.decode(PeerFrame.self, from: bytes) } catch {
            logger.debug("malformed peer frame", metadata: ["peer": "\(peer)", "error": "\(error)"])
            // Peers encode canonically and links are authenticated: the peer is at fault.
            return offend(peer, .malformed)
        }
        switch decoded {
        case let .consensus(bytes):
            step(.message(bytes, from: ReplicaID(peer)))
        case let .blocksRequest(from, through):
            serveBlocks(from: from, through: through, to: peer)
        case let .blocksResponse(blocks):
            acceptSyncBlocks(blocks, from: peer)
        case let .requests(list):
            // The replica checks each (`isValidRequest`) and queues it once.
            for bytes in list { step(.received(.request(bytes), from: ReplicaID(peer))) }
        case let .attestation(attestation):
            settle(attestations.addPeer(attestation, from: peer, appliedHeight: appliedHeight))
        }
    }

    /// A transaction that passed the API's checks (decoded, signed, not expired).
    func admit(_ id: TxID, bytes: [UInt8], sender: PublicKeyBytes, expiryHeight: UInt64) -> Mempool.Admission {
        guard failure == nil, !stopped else { return .full(perSender: false) }
        let admission = mempool.admit(id, bytes: bytes, sender: sender, expiryHeight: expiryHeight, now: Self.nowMillis())
        if admission == .accepted {
            observer.mempoolSize(mempool.count)
            step(.request(bytes))
        }
        return admission
    }

    func inMempool(_ id: TxID) -> Bool { mempool.contains(id) }

    var mempoolIsFull: Bool { mempool.isFull }

    func timerFired(_ id: TimerID) {
        step(.timerFired(id))
    }

    /// Periodic housekeeping: offer stale mempool entries again, to this
    /// replica and relayed to every other (a primary that is down or
    /// withholding them is then suspected by all backups, not by this one
    /// alone), and retry a state transfer whose peer went quiet.
    func tick() {
        guard failure == nil, !stopped else { return }
        let now = Self.nowMillis()
        mempool.dropExpired(height: appliedHeight + 1)
        let due = mempool.due(now: now, limit: Self.resubmitBatch, maxBytes: Self.resubmitBytes)
        for bytes in due { step(.request(bytes)) }
        // Relayed at every resubmission, not once: a relay can be lost (a full
        // peer queue, a replica whose pending queue was full), and a transaction
        // that only this replica holds leaves it alone suspecting the primary
        // while the others, with nothing pending, never join it. Seen under load:
        // 383 transactions stuck on one node in a view of its own. A transaction
        // is due at most once per `resubmit_after_ms`, so this costs nothing
        // while transactions commit in time.
        if !due.isEmpty { network.broadcast(Canonical.encode(PeerFrame.requests(due))) }
        observer.mempoolSize(mempool.count)
        syncTick(now: now)
        repeatAttestation(now: now)
        if now >= lastReportMillis + 5_000 {
            lastReportMillis = now
            logger.debug("replica", metadata: [
                "view": "\(replica.view)", "changing": "\(replica.isChangingView)", "executed": "\(replica.lastExecuted)",
                "committed": "\(replica.committedThrough)", "stable": "\(replica.stable.sequence)",
                "pending": "\(replica.pendingRequestCount)", "log": "\(replica.logSize)", "mempool": "\(mempool.count)",
                "dropped": "\(replica.stats.dropped.filter { $0.value > 0 }.map { "\($0.key.rawValue)=\($0.value)" }.sorted().joined(separator: ","))",
            ])
        }
    }

    func snapshot() -> Snapshot {
        Snapshot(
            view: replica.view, primary: replica.config.primary(of: replica.view).index,
            changingView: replica.isChangingView, mempoolSize: mempool.count, syncing: sync?.target.sequence,
            stateTransfers: replica.stats.stateTransfers,
            offences: offences.list.map { PeerOffenceCount(peer: $0.peer, reason: $0.reason.rawValue, count: $0.count) })
    }

    func stop() {
        stopped = true
        for task in timers.values { task.cancel() }
        timers = [:]
    }

    // MARK: Stepping

    func step(_ first: Event) {
        guard failure == nil, !stopped else { return }
        var events = [first]
        var processed = 0
        while !events.isEmpty, failure == nil {
            processed += 1
            precondition(processed <= Self.maxCascade, "event cascade over \(Self.maxCascade): a replica loop")
            let event = events.removeFirst()
            let actions = replica.step(event, now: Self.nowMillis())
            events += perform(actions)
        }
        if replica.view != lastView {
            lastView = replica.view
            observer.viewChanged(replica.view)
            logger.notice("view changed", metadata: ["view": "\(replica.view)", "primary": "\(replica.config.primary(of: replica.view).index)"])
        }
    }

    /// Carries out `actions` in order; returns the events they produced.
    private func perform(_ actions: [Action]) -> [Event] {
        var follow: [Event] = []
        var unsynced: [PersistentRecord] = []
        for action in actions {
            guard failure == nil else { return [] }
            if case let .persist(record) = action {
                unsynced.append(record)
                continue
            }
            // Everything after a persist may depend on it: make it durable first.
            guard flush(&unsynced) else { return [] }
            switch action {
            case .persist:
                break
            case let .send(message, to):
                network.send(PeerFrame.encodeConsensus(Canonical.encode(message)), to: to.index)
            case let .broadcast(message):
                network.broadcast(PeerFrame.encodeConsensus(Canonical.encode(message)))
            case let .execute(committed):
                if let event = execute(committed) { follow.append(event) }
            case .reportCommitted:
                // Clients learn of commitment from the applied receipt.
                break
            case let .setTimer(id, after):
                arm(id, after: after)
            case let .cancelTimer(kind):
                timers.removeValue(forKey: kind)?.cancel()
            case let .fetchState(checkpoint):
                beginSync(checkpoint)
            case let .offence(peer, reason):
                offend(peer.index, reason)
            }
        }
        _ = flush(&unsynced)
        return follow
    }

    private func flush(_ records: inout [PersistentRecord]) -> Bool {
        guard !records.isEmpty else { return true }
        do throws(ConsensusLogError) {
            try log.append(records)
            records = []
            return true
        } catch {
            fail("cannot persist the consensus log: \(error)")
            return false
        }
    }

    private func arm(_ id: TimerID, after: Millis) {
        timers[id.kind]?.cancel()
        timers[id.kind] = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(Int64(clamping: after)))
            guard !Task.isCancelled else { return }
            await self?.timerFired(id)
        }
    }

    // MARK: Execution

    private func execute(_ committed: CommittedBatch) -> Event? {
        do throws(ExecutionError) {
            let (execution, archived, skipped) = try applier.apply(
                batch: committed.batch, certificate: committed.certificate, sequence: committed.sequence)
            applied(execution, header: archived.header, skipped: skipped)
            return .executed(committed.sequence, stateRoot: execution.stateRoot)
        } catch {
            fail("cannot execute committed batch \(committed.sequence): \(error)")
            return nil
        }
    }

    func applied(_ execution: BlockExecution, header: BlockHeader, skipped: Int) {
        appliedHeight = execution.head.height.value
        attest(execution, header: header)
        // A copy with a bad signature has the genuine transaction's id (the id
        // does not cover the signature) but does not execute it: keep the
        // genuine one, so a faulty primary cannot censor it that way.
        for receipt in execution.receipts where receipt.code != .badSignature { mempool.remove(receipt.transaction) }
        observer.blockApplied(execution.head.height.value, execution.receipts.count)
        observer.mempoolSize(mempool.count)
        if skipped > 0 {
            logger.error("a committed batch held undecodable requests", metadata: ["height": "\(execution.head.height)", "skipped": "\(skipped)"])
        }
        logger.debug("applied block", metadata: ["height": "\(execution.head.height)", "transactions": "\(execution.receipts.count)"])
    }

    /// `peer` did what no correct node does: counted, exported, and logged at
    /// most once per peer and reason per `PeerOffences.warnIntervalMillis`.
    func offend(_ peer: Int, _ reason: DropReason) {
        let elapsed = clockOrigin.duration(to: .now).components
        let nowMillis = UInt64(clamping: elapsed.seconds) &* 1000 &+ UInt64(clamping: elapsed.attoseconds / 1_000_000_000_000_000)
        if offences.record(peer: peer, reason: reason, nowMillis: nowMillis) {
            let count = offences.counts[PeerOffences.Key(peer: peer, reason: reason)] ?? 0
            logger.warning("peer sent what no correct node sends", metadata: [
                "peer": "\(PeerOffenceCount.peerName(peer))", "reason": "\(reason.rawValue)", "count": "\(count)",
            ])
        }
        observer.peerOffence(peer, reason)
    }

    func fail(_ reason: String) {
        guard failure == nil else { return }
        failure = reason
        logger.critical("node stopping: \(reason)")
        stop()
    }

    static func nowMillis() -> UInt64 {
        UInt64(max(0, Date().timeIntervalSince1970 * 1000))
    }
}
