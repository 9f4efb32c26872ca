@_spi(Flaws) import Consensus
import LedgerCore
import LedgerCrypto
import LedgerTesting

/// Runs n real replicas against a seeded, faulty network with virtual time, and
/// checks agreement, validity and liveness as it goes. Everything random comes
/// from one SplitMix64 stream, so a seed replays exactly.
public final class Simulation {
    let options: SimulationOptions
    let config: Configuration
    let hash: any DigestFunction = CryptoSuites.standard
    let verifier: KeyedHashVerifier
    let workload: Workload
    var rng: SeededGenerator
    var queue = EventQueue<SimEvent>()
    var now: Millis = 0
    var nodes: [Node] = []
    var result: SimulationResult
    var checker: Checker
    let faults: FaultPlan
    var submitted: [[UInt8]] = []
    var partition: [Int]? = nil
    /// Encodings already decoded once by a receiver (see `.deliver`).
    var decodedOnce: Set<Int> = []
    var encodings = 0

    /// Bounds a run that makes no progress at all (e.g. an event storm).
    let maxSteps = 2_000_000

    struct Node {
        let index: Int
        var replica: Replica?
        var durable = PersistentState()
        var app: KeyValueApp
        var snapshots: [SequenceNumber: KeyValueApp] = [:]
        var timers: [TimerKind: TimerID] = [:]
        var incarnation = 0
        var clockOffset: Int64 = 0
        var timerRatePercent: UInt64 = 100
        var byzantine: ByzantineBehaviour?
        let signer: KeyedHashSigner
        var isUp: Bool { replica != nil }
        var isHonest: Bool { byzantine == nil }
    }

    enum SimEvent {
        /// `message` is what `bytes` encode, when the sender knew it and the
        /// network did not corrupt them.
        case deliver(to: Int, bytes: [UInt8], message: ConsensusMessage?, encoding: Int)
        case timer(node: Int, TimerID, incarnation: Int)
        case submit(Int)
        case retry
        case crash
        case wipe
        case restart(Int)
        case partition
        case healPartition
        case heal
        case stateTransfer(node: Int, incarnation: Int, sequence: SequenceNumber, snapshot: KeyValueApp?)
        case noise(node: Int)
    }

    public init(options: SimulationOptions) {
        self.options = options
        rng = SeededGenerator(seed: options.seed)
        result = SimulationResult(seed: options.seed, profile: options.profile, replicaCount: options.replicaCount)
        let suite = CryptoSuites.standard
        var keys = SeededGenerator(seed: options.seed ^ 0x5EED_0F_4E45)
        let secrets = (0..<options.replicaCount).map { _ in keys.bytes(32) }
        verifier = KeyedHashVerifier(secrets: secrets, hash: suite)
        let workload = Workload(key: keys.bytes(32), hash: suite)
        self.workload = workload
        let genesis = suite.digest(Array("civic-sim-genesis".utf8))
        do {
            var config = try Configuration(
                replicaCount: options.replicaCount, cluster: suite.digest(Array("civic-sim".utf8)), genesisRoot: genesis,
                checkpointInterval: options.checkpointInterval, window: options.window,
                maxBatchRequests: options.maxBatchRequests, maxBatchBytes: 64 * 1024, maxRequestBytes: 1024,
                batchDelay: 5, maxPendingRequests: 64, requestTimeout: 400, viewChangeTimeout: 400,
                maxBackoffExponent: 3, statusInterval: 150, timestampBound: 2000,
                isValidRequest: { workload.isValid($0) })
            config.flaw = options.flaw
            self.config = config
        } catch {
            preconditionFailure("simulator configuration is fixed and valid: \(error)")
        }
        checker = Checker(replicaCount: options.replicaCount, commitQuorum: 2 * config.f + 1, checkCertificates: options.checkCertificates)
        faults = FaultPlan.make(options.profile, replicaCount: options.replicaCount, using: &rng)
        for index in 0..<options.replicaCount {
            let signer = KeyedHashSigner(replica: ReplicaID(index), secret: secrets[index], hash: suite)
            var node = Node(index: index, app: KeyValueApp(genesisRoot: genesis), signer: signer)
            node.replica = Replica(config: config, signer: signer, verifier: verifier, hash: suite)
            if faults.skew {
                node.clockOffset = Int64.random(in: -300...300, using: &rng)
                node.timerRatePercent = UInt64.random(in: 70...130, using: &rng)
            }
            if faults.byzantine.contains(index) {
                node.byzantine = ByzantineBehaviour.random(using: &rng, replicaCount: options.replicaCount, me: index)
            }
            nodes.append(node)
        }
    }

    var f: Int { config.f }
    var honest: [Int] { nodes.indices.filter { nodes[$0].isHonest } }

    // MARK: running

    public func run() -> SimulationResult {
        for index in nodes.indices { step(index, .start) }
        for request in 0..<options.requests {
            queue.push(.submit(request), at: Millis.random(in: 0...(options.healAt * 2 / 3), using: &rng))
        }
        queue.push(.retry, at: 300)
        queue.push(.heal, at: options.healAt)
        faults.schedule(into: &queue, healAt: options.healAt, using: &rng)
        for index in nodes.indices where nodes[index].byzantine != nil {
            queue.push(.noise(node: index), at: Millis.random(in: 1...50, using: &rng))
        }
        while let (time, event) = queue.pop() {
            now = time
            result.steps += 1
            handle(event)
            if !result.violations.isEmpty { break }
            if now >= options.healAt && submitted.count == options.requests && allApplied() { break }
            if now > options.healAt + options.livenessBound || result.steps > maxSteps {
                reportLiveness()
                break
            }
        }
        result.virtualTime = now
        result.committedBlocks = checker.highestCommitted
        result.nullBlocks = checker.nullBlocks
        for node in nodes {
            guard let replica = node.replica else { continue }
            result.viewChanges += replica.stats.viewChangesStarted
            result.stateTransfers += replica.stats.stateTransfers
            result.equivocationsSeen += replica.stats.equivocationsSeen
        }
        result.duplicateOrderings = nodes.filter(\.isHonest).map(\.app.skippedDuplicates).max() ?? 0
        result.violations += checker.violations
        return result
    }

    func handle(_ event: SimEvent) {
        switch event {
        case let .deliver(to, bytes, message, encoding):
            guard nodes[to].isUp else { return }
            if nodes[to].byzantine != nil { nodes[to].byzantine!.remember(bytes, using: &rng) }
            // Decoding is deterministic, so n-1 receivers of one broadcast need
            // not each parse the same bytes: the first decodes them for real (and
            // the round trip is checked), the rest are handed the value. Corrupted
            // and garbage bytes always go through the replica's decoder.
            if let message, decodedOnce.contains(encoding) {
                step(to, .received(message))
            } else {
                if message != nil { decodedOnce.insert(encoding) }
                step(to, .message(bytes))
            }
        case let .timer(index, timer, incarnation):
            guard nodes[index].incarnation == incarnation, nodes[index].timers[timer.kind] == timer else { return }
            nodes[index].timers[timer.kind] = nil
            step(index, .timerFired(timer))
        case let .submit(number):
            let request = workload.request(client: UInt32(number % 3), number: UInt32(number))
            submitted.append(request)
            checker.submitted.insert(hash.digest(request))
            for index in nodes.indices where nodes[index].isUp { step(index, .request(request)) }
        case .retry:
            // A client retries until f+1 correct replicas applied its request.
            for request in submitted {
                let digest = hash.digest(request)
                let applied = honest.filter { nodes[$0].app.applied.contains(digest) }.count
                guard applied <= f else { continue }
                for index in nodes.indices where nodes[index].isUp { step(index, .request(request)) }
            }
            queue.push(.retry, at: now + 300)
        case .crash:
            crashRandomNode()
        case .wipe:
            wipeRandomNode()
        case let .restart(index):
            restart(index)
        case .partition:
            guard now < options.healAt else { return }
            var members = Array(nodes.indices)
            members.shuffle(using: &rng)
            let size = Int.random(in: 1...(nodes.count / 2), using: &rng)
            var side = [Int](repeating: 0, count: nodes.count)
            for index in members.prefix(size) { side[index] = 1 }
            partition = side
            trace("partition \(members.prefix(size).sorted()) | rest")
            queue.push(.healPartition, at: now + Millis.random(in: 100...600, using: &rng))
        case .healPartition:
            partition = nil
            trace("partition healed")
        case .heal:
            partition = nil
            trace("heal: network reliable, crashed replicas restart")
            for index in nodes.indices where !nodes[index].isUp { restart(index) }
        case let .stateTransfer(index, incarnation, sequence, snapshot):
            guard nodes[index].incarnation == incarnation, let replica = nodes[index].replica else { return }
            guard let snapshot, replica.stateTransferTarget == sequence, snapshot.executed > nodes[index].app.executed else {
                if replica.stateTransferTarget == sequence { step(index, .stateTransferFailed(sequence)) }
                return
            }
            nodes[index].app = snapshot
            checker.recordState(node: index, honest: nodes[index].isHonest, sequence: sequence, root: snapshot.root, time: now)
            step(index, .stateTransferred(sequence, stateRoot: snapshot.root))
        case let .noise(index):
            byzantineNoise(index)
            queue.push(.noise(node: index), at: now + Millis.random(in: 20...120, using: &rng))
        }
    }

    /// The node's own clock: skewed by a fixed offset in the chaos profiles.
    func localTime(_ index: Int) -> Millis {
        let skewed = Int64(now) + nodes[index].clockOffset
        return Millis(max(0, skewed))
    }

    /// One replica step, plus the events its actions feed straight back
    /// (`.executed` after `.execute`), in order.
    func step(_ index: Int, _ event: Event) {
        var inbox = [event]
        var position = 0
        while position < inbox.count {
            guard var replica = nodes[index].replica else { return }
            let input = inbox[position]
            position += 1
            let actions = replica.step(input, now: localTime(index))
            nodes[index].replica = replica
            if options.trace { trace("r\(index) <- \(Describe.event(input)) => \(actions.map(Describe.action).joined(separator: ", "))") }
            let crashAfter = faults.crashMidStep && now < options.healAt && !actions.isEmpty && nodes[index].isHonest
                && canCrash() && Int.random(in: 0..<400, using: &rng) == 0
                ? Int.random(in: 0..<actions.count, using: &rng) : nil
            for (offset, action) in actions.enumerated() {
                if let crashAfter, offset == crashAfter {
                    trace("r\(index) crashes after \(offset) of \(actions.count) actions")
                    crash(index)
                    return
                }
                if let followUp = perform(index, action) { inbox.append(followUp) }
            }
        }
    }

    func perform(_ index: Int, _ action: Action) -> Event? {
        switch action {
        case let .persist(record):
            nodes[index].durable.apply(record)
        case let .send(message, to):
            transmit(from: index, to: to.index, message)
        case let .broadcast(message):
            // Encoded once for all peers, as a transport would.
            let bytes = nodes[index].isHonest ? Canonical.encode(message) : nil
            encodings += 1
            for peer in nodes.indices where peer != index {
                if let bytes { send(from: index, to: peer, bytes, message, encoding: encodings) } else { transmit(from: index, to: peer, message) }
            }
        case let .execute(committed):
            var app = nodes[index].app
            app.apply(committed.sequence, committed.batch, workload: workload, hash: hash)
            nodes[index].app = app
            if committed.sequence % config.checkpointInterval == 0 {
                nodes[index].snapshots[committed.sequence] = app
                if nodes[index].snapshots.count > 4, let oldest = nodes[index].snapshots.keys.min() {
                    nodes[index].snapshots[oldest] = nil
                }
            }
            checker.recordExecution(
                node: index, honest: nodes[index].isHonest, committed, root: app.root, time: now,
                hash: hash, verifier: verifier, config: config)
            return .executed(committed.sequence, stateRoot: app.root)
        case let .reportCommitted(committed):
            checker.recordCommit(node: index, honest: nodes[index].isHonest, committed, time: now, hash: hash)
        case let .setTimer(timer, after):
            nodes[index].timers[timer.kind] = timer
            let delay = max(1, after * nodes[index].timerRatePercent / 100)
            queue.push(.timer(node: index, timer, incarnation: nodes[index].incarnation), at: now + delay)
        case let .cancelTimer(kind):
            nodes[index].timers[kind] = nil
        case .offence:
            // Deliveries carry no sender here (the simulator also corrupts
            // bytes on the wire, which an authenticated link would refuse).
            break
        case let .fetchState(certificate):
            let donors = nodes.indices.filter {
                $0 != index && nodes[$0].isUp && nodes[$0].snapshots[certificate.sequence]?.root == certificate.stateRoot
            }
            let snapshot = donors.isEmpty ? nil : nodes[donors.randomElement(using: &rng)!].snapshots[certificate.sequence]
            queue.push(
                .stateTransfer(node: index, incarnation: nodes[index].incarnation, sequence: certificate.sequence, snapshot: snapshot),
                at: now + (faults.slowStateTransfer ? Millis.random(in: 200...1500, using: &rng) : Millis.random(in: 5...40, using: &rng)))
        }
        return nil
    }

    // MARK: network

    func transmit(from: Int, to: Int, _ message: ConsensusMessage) {
        if nodes[from].byzantine != nil {
            for (peer, rewritten) in byzantineRewrite(from: from, to: to, message) {
                encodings += 1
                send(from: from, to: peer, Canonical.encode(rewritten), rewritten, encoding: encodings)
            }
        } else {
            encodings += 1
            send(from: from, to: to, Canonical.encode(message), message, encoding: encodings)
        }
    }

    func send(from: Int, to: Int, _ bytes: [UInt8], _ message: ConsensusMessage? = nil, encoding: Int = 0) {
        result.messagesSent += 1
        let faulty = now < options.healAt
        if let partition, partition[from] != partition[to] { result.messagesDropped += 1; return }
        if faulty && chance(faults.loss) { result.messagesDropped += 1; return }
        var bytes = bytes
        var message = message
        if faulty && chance(faults.corruption) && !bytes.isEmpty {
            bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
            message = nil
        }
        queue.push(.deliver(to: to, bytes: bytes, message: message, encoding: encoding), at: now + delay(faulty))
        if faulty && chance(faults.duplication) {
            queue.push(.deliver(to: to, bytes: bytes, message: message, encoding: encoding), at: now + delay(faulty))
        }
    }

    func delay(_ faulty: Bool) -> Millis {
        if faulty && chance(faults.longDelay) { return Millis.random(in: 50...400, using: &rng) }
        return Millis.random(in: 1...12, using: &rng)
    }

    func chance(_ probability: Double) -> Bool {
        probability > 0 && Double.random(in: 0..<1, using: &rng) < probability
    }

    // MARK: crashes

    func canCrash() -> Bool {
        nodes.filter { !$0.isUp }.count < faults.maxDown
    }

    func crashRandomNode() {
        guard now < options.healAt, canCrash() else { return }
        let candidates = nodes.indices.filter { nodes[$0].isUp && nodes[$0].isHonest }
        guard let index = candidates.randomElement(using: &rng) else { return }
        trace("r\(index) crashes")
        crash(index)
    }

    /// SIGKILL and an emptied data folder: the replica restarts from nothing and
    /// catches up by state transfer. Only one replica at a time, and no wipe
    /// of a replica whose votes the cluster may still need (it no longer
    /// knows what it voted, so it counts as one of the f faulty).
    func wipeRandomNode() {
        guard now < options.healAt, nodes.allSatisfy(\.isUp) else { return }
        let candidates = nodes.indices.filter { nodes[$0].isHonest }
        guard let index = candidates.randomElement(using: &rng) else { return }
        trace("r\(index) is wiped")
        result.wiped.append(index)
        crash(index)
        nodes[index].durable = PersistentState()
        nodes[index].app = KeyValueApp(genesisRoot: config.genesisRoot)
        nodes[index].snapshots = [:]
    }

    /// Everything not persisted is lost: the replica, its timers, its memory.
    /// The application is durable per executed batch, as the ledger store is.
    func crash(_ index: Int) {
        nodes[index].replica = nil
        nodes[index].timers = [:]
        nodes[index].incarnation += 1
        result.crashes += 1
        let back = now + Millis.random(in: 50...700, using: &rng)
        if back < options.healAt { queue.push(.restart(index), at: back) }
    }

    func restart(_ index: Int) {
        guard !nodes[index].isUp else { return }
        let node = nodes[index]
        nodes[index].replica = Replica(
            config: config, signer: node.signer, verifier: verifier, hash: hash,
            restoring: node.durable, executedThrough: node.app.executed)
        trace("r\(index) restarts in view \(node.durable.view)\(node.durable.changing ? " (changing)" : "")")
        step(index, .start)
    }

    // MARK: checks

    func allApplied() -> Bool {
        honest.allSatisfy { nodes[$0].isUp && nodes[$0].app.applied.count >= options.requests }
    }

    func reportLiveness() {
        var missing: [String] = []
        for index in honest {
            let count = nodes[index].app.applied.count
            if count < options.requests {
                let state = nodes[index].replica.map { "view \($0.view)\($0.isChangingView ? " changing" : ""), executed \($0.lastExecuted), stable \($0.lowWatermark)" } ?? "down"
                missing.append("r\(index) applied \(count)/\(options.requests) (\(state))")
            }
        }
        result.violations.append(Violation(
            kind: .liveness, time: now,
            message: "\(options.livenessBound)ms after healing: " + missing.joined(separator: "; ")))
    }

    func trace(_ line: @autoclosure () -> String) {
        guard options.trace else { return }
        result.trace.append("t=\(now) \(line())")
    }
}
