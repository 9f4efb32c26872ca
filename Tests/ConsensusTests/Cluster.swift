@_spi(Flaws) import Consensus
import LedgerCore
import LedgerCrypto

/// A hand-driven cluster for step-by-step tests: messages wait in `inFlight`
/// until a test delivers or drops them, timers fire only when a test says so,
/// and `.execute` is answered at once by a tiny hash-chain application.
struct Cluster {
    static let hash = CryptoSuites.standard
    static let genesis = hash.digest(Array("genesis".utf8))

    struct Envelope {
        let from: ReplicaID
        let to: ReplicaID
        let message: ConsensusMessage
    }

    var config: Configuration
    var replicas: [Replica?]
    var durable: [PersistentState]
    var roots: [Digest]
    var executed: [[CommittedBatch]]
    var timers: [[TimerKind: TimerID]]
    var fetches: [[CheckpointCertificate]]
    var inFlight: [Envelope] = [] {
        didSet { for envelope in inFlight.suffix(max(0, inFlight.count - oldValue.count)) { lastOfKind[envelope.kind] = envelope.message } }
    }
    /// The last message of each kind ever sent, for encoding tests.
    var lastOfKind: [String: ConsensusMessage] = [:]
    var now: Millis = 1000
    let signers: [any MessageSigner]
    let verifier: any SignatureVerifier

    init(n: Int = 4, checkpointInterval: UInt64 = 2, window: UInt64 = 4, batchDelay: Millis = 0,
         maxBatchRequests: Int = 1, flaw: Flaw? = nil, realSignatures: Bool = false) throws {
        var config = try Configuration(
            replicaCount: n, cluster: Self.hash.digest(Array("test".utf8)), genesisRoot: Self.genesis,
            checkpointInterval: checkpointInterval, window: window, maxBatchRequests: maxBatchRequests,
            maxBatchBytes: 64 * 1024, maxRequestBytes: 1024, batchDelay: batchDelay, maxPendingRequests: 64,
            requestTimeout: 500, viewChangeTimeout: 500, statusInterval: 100)
        config.flaw = flaw
        self.config = config
        if realSignatures {
            let suite = CryptoSuites.standard
            let keys = try (0..<n).map { index in try suite.privateKey(rawScalar: [UInt8](repeating: 0, count: 31) + [UInt8(index + 1)]) }
            signers = try keys.enumerated().map { try SuiteSigner(replica: ReplicaID($0.offset), suite: suite, key: $0.element) }
            verifier = try SuiteVerifier(suite: suite, keys: keys.map(\.publicKey))
        } else {
            let secrets = (0..<n).map { Array(Self.hash.digest([UInt8($0)]).bytes) }
            signers = (0..<n).map { KeyedHashSigner(replica: ReplicaID($0), secret: secrets[$0], hash: Self.hash) }
            verifier = KeyedHashVerifier(secrets: secrets, hash: Self.hash)
        }
        let verifier = self.verifier
        replicas = signers.map { Replica(config: config, signer: $0, verifier: verifier, hash: Self.hash) }
        durable = Array(repeating: PersistentState(), count: n)
        roots = Array(repeating: Self.genesis, count: n)
        executed = Array(repeating: [], count: n)
        timers = Array(repeating: [:], count: n)
        fetches = Array(repeating: [], count: n)
        for index in 0..<n { step(index, .start) }
        // The start-up STATUS round carries nothing a test needs.
        inFlight.removeAll()
    }

    var n: Int { replicas.count }

    func replica(_ index: Int) -> Replica { replicas[index]! }

    @discardableResult
    mutating func step(_ index: Int, _ event: Event) -> [Action] {
        guard var replica = replicas[index] else { return [] }
        let actions = replica.step(event, now: now)
        replicas[index] = replica
        var followUps: [Event] = []
        for action in actions {
            switch action {
            case let .send(message, to):
                inFlight.append(Envelope(from: ReplicaID(index), to: to, message: message))
            case let .broadcast(message):
                for peer in 0..<n where peer != index {
                    inFlight.append(Envelope(from: ReplicaID(index), to: ReplicaID(peer), message: message))
                }
            case let .persist(record):
                durable[index].apply(record)
            case let .execute(batch):
                executed[index].append(batch)
                var material = roots[index].bytes
                for request in batch.batch.requests { material += request }
                roots[index] = Self.hash.digest(material)
                followUps.append(.executed(batch.sequence, stateRoot: roots[index]))
            case .reportCommitted, .offence:
                break
            case let .setTimer(timer, _):
                timers[index][timer.kind] = timer
            case let .cancelTimer(kind):
                timers[index][kind] = nil
            case let .fetchState(certificate):
                fetches[index].append(certificate)
            }
        }
        var all = actions
        for event in followUps { all += step(index, event) }
        return all
    }

    mutating func submit(_ request: String, to targets: [Int]? = nil) {
        for index in targets ?? Array(0..<n) { step(index, .request(Array(request.utf8))) }
    }

    /// Delivers matching messages (and whatever they cause) until none match; bounded.
    mutating func deliver(where keep: (Envelope) -> Bool = { _ in true }, rounds: Int = 10_000) {
        for _ in 0..<rounds {
            guard let position = inFlight.firstIndex(where: keep) else { return }
            let envelope = inFlight.remove(at: position)
            guard replicas[envelope.to.index] != nil else { continue }
            step(envelope.to.index, .message(Canonical.encode(envelope.message), from: envelope.from))
        }
        preconditionFailure("messages still flowing after \(rounds) deliveries")
    }

    mutating func drop(where match: (Envelope) -> Bool) {
        inFlight.removeAll(where: match)
    }

    mutating func fire(_ kind: TimerKind, at index: Int) {
        guard let timer = timers[index][kind] else { return }
        timers[index][kind] = nil
        step(index, .timerFired(timer))
    }

    /// Fires the status timer until the replica broadcasts STATUS (idle ones only heartbeat every few ticks).
    mutating func broadcastStatus(from index: Int) {
        for _ in 0..<10 {
            fire(.status, at: index)
            if inFlight.contains(where: { $0.from.index == index && $0.kind == "status" }) { return }
        }
    }

    mutating func crash(_ index: Int) {
        replicas[index] = nil
        timers[index] = [:]
        inFlight.removeAll { $0.to.index == index }
    }

    mutating func restart(_ index: Int) {
        replicas[index] = Replica(
            config: config, signer: signers[index], verifier: verifier, hash: Self.hash,
            restoring: durable[index], executedThrough: executed[index].last?.sequence ?? 0)
        step(index, .start)
    }

    /// A node whose data folder was deleted: killed, then started again with
    /// an empty consensus log and an application back at genesis.
    mutating func wipe(_ index: Int) {
        crash(index)
        durable[index] = PersistentState()
        executed[index] = []
        roots[index] = Self.genesis
        fetches[index] = []
        replicas[index] = Replica(config: config, signer: signers[index], verifier: verifier, hash: Self.hash)
        step(index, .start)
    }

    static func kind(_ message: ConsensusMessage) -> String {
        switch message {
        case .prePrepare: "prePrepare"
        case .prepare: "prepare"
        case .commit: "commit"
        case .checkpoint: "checkpoint"
        case .viewChange: "viewChange"
        case .newView: "newView"
        case .status: "status"
        case .committed: "committed"
        case .stableCheckpoint: "stableCheckpoint"
        case .request: "request"
        }
    }
}

extension Cluster.Envelope {
    var kind: String { Cluster.kind(message) }
}
