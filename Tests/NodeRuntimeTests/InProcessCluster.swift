import Consensus
import Foundation
import GenesisFile
import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerStore
import Logging
import NodeAPI
import Synchronization
@testable import NodeRuntime

/// Routes frames between drivers of one process. Each send is its own task,
/// so frames may arrive in any order, as on a real network; a node that is
/// down neither sends nor receives.
final class LoopbackHub: Sendable {
    private let drivers = Mutex<[Int: NodeDriver]>([:])
    /// Nodes that attestation frames do not reach (lost, as on a full queue).
    let attestationsLostTo = Mutex<Set<Int>>([])

    func attach(_ driver: NodeDriver, at index: Int) { drivers.withLock { $0[index] = driver } }
    func detach(_ index: Int) { _ = drivers.withLock { $0.removeValue(forKey: index) } }
    func driver(_ index: Int) -> NodeDriver? { drivers.withLock { $0[index] } }
    var attached: Set<Int> { drivers.withLock { Set($0.keys) } }

    func transport(for index: Int, count: Int) -> Loopback { Loopback(hub: self, from: index, count: count) }
}

struct Loopback: PeerTransport {
    let hub: LoopbackHub
    let from: Int
    let count: Int

    func send(_ bytes: [UInt8], to peer: Int) {
        guard peer != from, hub.driver(from) != nil, let target = hub.driver(peer) else { return }
        if hub.attestationsLostTo.withLock({ $0.contains(peer) }),
           case .attestation? = try? Canonical.decode(PeerFrame.self, from: bytes) { return }
        let from = self.from
        Task { await target.receive(bytes, from: from) }
    }

    func broadcast(_ bytes: [UInt8]) {
        for peer in 0..<count where peer != from { send(bytes, to: peer) }
    }

    func connectedPeers() -> Set<Int> { hub.attached.subtracting([from]) }
}

enum ClusterError: Error, CustomStringConvertible {
    case timeout(String)
    case refused(String)

    var description: String {
        switch self {
        case let .timeout(what): "timed out waiting for \(what)"
        case let .refused(what): what
        }
    }
}

/// Four real drivers, ledgers and consensus logs over in-memory stores, in one
/// process. A node's store outlives the node, so `crash` then `start` is a
/// restart from its data; `wipe` gives it an empty store.
final class InProcessCluster: @unchecked Sendable {
    struct Running {
        let assembly: NodeAssembly
        let ticker: Task<Void, Never>
    }

    let genesis: GenesisDocument
    let suite: any CryptoSuite
    let nodeKeys: [PrivateKey]
    let adminKeys: [PrivateKey]
    private(set) var configuration: NodeConfiguration
    let hub = LoopbackHub()
    private(set) var stores: [InMemoryStore]
    private var running: [Int: Running] = [:]
    private var nonce: UInt64 = 0

    /// `adjust` changes the nodes' configuration before any starts.
    init(adjust: (inout NodeConfiguration) -> Void = { _ in }) throws {
        let template = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Genesis/devnet.toml").path
        let text = try String(contentsOfFile: template, encoding: .utf8)
        let spec = try GenesisFile.parse(text, file: template)
        let suite = CryptoSuites.suite(spec.suite)
        var pairs: [BureauID: (node: PrivateKey, admin: PrivateKey)] = [:]
        for bureau in spec.bureaus { pairs[bureau.id] = (try suite.generatePrivateKey(), try suite.generatePrivateKey()) }
        let filled = try GenesisFile.fillingKeys(
            text, file: template, keys: pairs.mapValues { ($0.node.publicKey.compressed, $0.admin.publicKey.compressed) })
        genesis = try GenesisFile.parse(filled, file: template).document()
        self.suite = suite
        nodeKeys = genesis.bureaus.map { pairs[$0.id]!.node }
        adminKeys = genesis.bureaus.map { pairs[$0.id]!.admin }
        stores = genesis.bureaus.map { _ in InMemoryStore(columnFamilies: NodeColumns.all) }
        var consensus = NodeConfiguration.Consensus()
        consensus.requestTimeoutMillis = 600
        consensus.viewChangeTimeoutMillis = 600
        consensus.statusIntervalMillis = 50
        consensus.maxBatchTransactions = 16
        var mempool = NodeConfiguration.Mempool()
        mempool.resubmitAfterMillis = 2_000
        configuration = NodeConfiguration(
            name: "test", replica: 0, genesisPath: "", dataDirectory: "", nodeKeyPath: "", tlsCAPath: "",
            tlsCertificatePath: "", tlsKeyPath: "", peerListen: .init(host: "127.0.0.1", port: 1),
            peers: (0..<genesis.bureaus.count).map { .init(replica: $0, address: .init(host: "127.0.0.1", port: 1)) },
            apiListen: .init(host: "127.0.0.1", port: 1), logLevel: "info", consensus: consensus, mempool: mempool)
        adjust(&configuration)
    }

    var count: Int { genesis.bureaus.count }

    func start(_ index: Int) async throws {
        precondition(running[index] == nil)
        var logger = Logger(label: "node\(index + 1)")
        logger.logLevel = .critical
        let identity = try NodeIdentity.make(name: "node\(index + 1)", replica: index, genesis: genesis, nodeKey: nodeKeys[index])
        let assembly = try NodeAssembly.assemble(
            identity: identity, configuration: configuration, store: stores[index],
            transport: hub.transport(for: index, count: count), logger: logger, observer: NodeObserver())
        hub.attach(assembly.driver, at: index)
        await assembly.driver.start()
        let driver = assembly.driver
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(50))
                await driver.tick()
            }
        }
        running[index] = Running(assembly: assembly, ticker: ticker)
    }

    func startAll() async throws {
        for index in 0..<count { try await start(index) }
    }

    /// Stops the node as a crash would: nothing more is sent or received; its store keeps what was written.
    func crash(_ index: Int) async {
        guard let node = running.removeValue(forKey: index) else { return }
        hub.detach(index)
        node.ticker.cancel()
        await node.assembly.driver.stop()
    }

    func wipe(_ index: Int) async {
        await crash(index)
        stores[index] = InMemoryStore(columnFamilies: NodeColumns.all)
    }

    func stopAll() async {
        for index in Array(running.keys) { await crash(index) }
    }

    func backend(_ index: Int) -> LedgerNodeBackend { running[index]!.assembly.backend }
    func ledger(_ index: Int) -> Ledger { running[index]!.assembly.ledger }
    func driver(_ index: Int) -> NodeDriver { running[index]!.assembly.driver }
    var up: [Int] { running.keys.sorted() }

    /// The genesis validators, as a client checks a state certificate against them.
    func validators() throws -> ValidatorSet {
        let suite = CryptoSuites.suite(genesis.suite)
        return ValidatorSet(
            cluster: suite.digest(Canonical.encode(genesis)), count: count,
            verifier: try SuiteVerifier(suite: suite, keys: nodeKeys.map(\.publicKey)))
    }

    /// A transaction the devnet genesis accepts: 政务服务数据管理局 registers a service counter.
    func registerOffice() throws -> [UInt8] {
        nonce += 1
        let gsdmb = genesis.bureaus.firstIndex { $0.id.description == "gsdmb" }!
        let office = try suite.generatePrivateKey()
        let operation = LedgerOperation.register(try Registration(
            subject: .office(OfficeID("counter-\(nonce)")!), name: "窗口 \(nonce)", key: office.publicKey.compressed))
        let signed = try operation.signed(
            by: adminKeys[gsdmb], chain: ChainParameters(genesis: genesis), nonce: nonce, expiryHeight: Height(1_000_000))
        return Canonical.encode(signed)
    }

    /// Submits `count` new transactions through `node` and returns their ids.
    func submit(_ count: Int, via node: Int) async throws -> [TxID] {
        let transactions = try (0..<count).map { _ in try registerOffice() }
        var ids: [TxID] = []
        for outcome in await backend(node).submit(transactions) {
            guard case let .accepted(id) = outcome else { throw ClusterError.refused("submission refused: \(outcome)") }
            ids.append(id)
        }
        return ids
    }

    /// One transaction per block, `blocks` times: each is submitted once the
    /// previous one is committed on `node`, so the chain grows by at least
    /// `blocks` (enough to pass stable checkpoints, K = 16 in the devnet genesis).
    func grow(_ blocks: Int, via node: Int) async throws -> [TxID] {
        var ids: [TxID] = []
        for _ in 0..<blocks {
            let id = try await submit(1, via: node)
            try await wait("a transaction to commit on node \(node)") { try committed(id, on: node) }
            ids += id
        }
        return ids
    }

    /// Polls until `condition` holds, up to `seconds` (a bound on a hang, not a measurement).
    func wait(_ what: String, seconds: Int = 60, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<(seconds * 20) {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ClusterError.timeout(what)
    }

    func committed(_ ids: [TxID], on node: Int) throws -> Bool {
        let queries = try ledger(node).queries()
        defer { queries.close() }
        return try ids.allSatisfy { try queries.receipt(of: $0)?.accepted == true }
    }

    /// The block hashes of `node`'s archive, genesis excluded: every replica
    /// must derive byte-identical blocks, not only the same state.
    func blockHashes(_ node: Int) async throws -> [Digest] {
        let height = try ledger(node).head().height.value
        var hashes: [Digest] = []
        for h in stride(from: UInt64(1), through: height, by: 1) {
            guard let block = try await backend(node).block(at: Height(h)) else { throw ClusterError.refused("no block \(h) on node \(node)") }
            hashes.append(block.blockHash)
        }
        return hashes
    }

    /// Waits until every running node holds every id and all agree on height and state root.
    func waitForAgreement(on ids: [TxID], seconds: Int = 60) async throws -> ChainHead {
        var agreed: ChainHead?
        try await wait("\(ids.count) transactions on nodes \(up) with one state root", seconds: seconds) {
            guard try up.allSatisfy({ try committed(ids, on: $0) }) else { return false }
            let heads = try up.map { try ledger($0).head() }
            guard Set(heads).count == 1 else { return false }
            agreed = heads[0]
            return true
        }
        return agreed!
    }
}
