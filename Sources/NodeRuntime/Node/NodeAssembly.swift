import Consensus
import LedgerCore
import LedgerState
import LedgerStore
import Logging

/// The parts of a node over a store and a transport, without files, TLS or
/// sockets: `CivicNode` builds one over RocksDB and the peer network, tests
/// build several over memory and a loopback and run them in one process.
struct NodeAssembly: Sendable {
    let ledger: Ledger
    let driver: NodeDriver
    let backend: LedgerNodeBackend
    let view: UInt64
    let height: UInt64

    static func assemble(
        identity: NodeIdentity, configuration: NodeConfiguration, store: any KeyValueStore,
        transport: any PeerTransport, logger: Logger, observer: NodeObserver
    ) throws(NodeStartError) -> NodeAssembly {
        let ledger: Ledger
        do { ledger = try Ledger(store: store, genesis: identity.genesis) } catch { throw .store("\(error)") }
        let log: ConsensusLog
        let head: ChainHead
        do {
            log = try ConsensusLog(store: store)
            head = try ledger.head()
        } catch {
            throw .store("\(error)")
        }
        let consensusConfig = try CivicNode.consensusConfiguration(configuration, identity: identity)
        let signer: SuiteSigner
        let verifier: SuiteVerifier
        do {
            signer = try SuiteSigner(replica: ReplicaID(identity.replica), suite: identity.suite, key: identity.nodeKey)
            verifier = try SuiteVerifier(suite: identity.suite, keys: identity.replicaKeys)
        } catch {
            throw .key("\(error)")
        }
        let replica = Replica(
            config: consensusConfig, signer: signer, verifier: verifier, hash: identity.suite,
            restoring: log.state, executedThrough: head.height.value, executedRoot: head.stateRoot)
        let share = Mempool.Limits.admissionShare(
            maxPendingRequests: consensusConfig.maxPendingRequests, replicas: identity.replicaKeys.count)
        if let configured = configuration.mempool.maxTransactions, configured > share {
            logger.notice("mempool max_transactions held to this node's share of the replica queue", metadata: [
                "max_transactions": "\(configured)", "share": "\(share)",
            ])
        }
        let mempool = Mempool(limits: .init(
            maxTransactions: min(configuration.mempool.maxTransactions ?? share, share), maxBytes: configuration.mempool.maxBytes,
            maxPerSender: configuration.mempool.maxPerSender, resubmitAfterMillis: configuration.mempool.resubmitAfterMillis))
        let applier = CommittedBlockApplier(
            ledger: ledger, proposers: identity.replicaKeys.map { identity.suite.address(of: $0) })
        let certified = CertifiedStates()
        let driver = NodeDriver(
            replica: replica, mempool: mempool, log: log, applier: applier, network: transport,
            archive: BlockArchive(reader: store), logger: logger, observer: observer.driverObserver, signer: signer,
            validators: ValidatorSet(cluster: identity.genesisHash, count: identity.replicaKeys.count, verifier: verifier),
            certified: certified)
        let backend = LedgerNodeBackend(
            identity: identity, ledger: ledger, driver: driver, network: transport,
            maxTransactionBytes: consensusConfig.maxRequestBytes, certified: certified)
        return NodeAssembly(ledger: ledger, driver: driver, backend: backend, view: replica.view, height: head.height.value)
    }
}
