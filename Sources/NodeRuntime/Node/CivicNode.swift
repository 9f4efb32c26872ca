import Consensus
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerStore
import Logging
import PeerNetwork

/// A node assembled from its configuration: store, ledger, consensus log,
/// replica restored from the log, peer network and the API backend. `open`
/// checks everything it can before anything listens, so a bad configuration
/// fails at start with one line naming the problem.
public final class CivicNode: Sendable {
    public let configuration: NodeConfiguration
    public let identity: NodeIdentity
    let store: RocksDBStore
    let ledger: Ledger
    let network: PeerNetwork
    /// What the driver sends through: `network`, or a wrapper around it.
    let transport: any PeerTransport
    let driver: NodeDriver
    let backend: LedgerNodeBackend
    let logger: Logger
    let observer: NodeObserver

    public static func open(
        _ configuration: NodeConfiguration, logger: Logger, observer: NodeObserver = NodeObserver(),
        wrapTransport: PeerTransportWrapper? = nil
    ) throws(NodeStartError) -> CivicNode {
        let identity = try NodeIdentity.load(configuration)
        let store = try openStore(configuration.dataDirectory)
        let tls: TLSIdentity
        do {
            tls = try TLSIdentity.load(
                caPath: configuration.tlsCAPath, certificatePath: configuration.tlsCertificatePath,
                privateKeyPath: configuration.tlsKeyPath)
        } catch {
            store.close()
            throw .network("\(error)")
        }
        guard tls.nodeKey == identity.genesis.bureaus[identity.replica].nodeKey.bytes else {
            store.close()
            throw .network("\(configuration.tlsCertificatePath) binds genesis key \(Hex.encode(tls.nodeKey)), not this node's (\(identity.genesis.bureaus[identity.replica].nodeKey.hex)); was it issued for another node?")
        }
        let peers = configuration.peers.map { peer in
            PeerAddress(
                index: peer.replica, host: peer.address.host, port: peer.address.port,
                nodeKey: identity.genesis.bureaus[peer.replica].nodeKey.bytes)
        }
        let network = PeerNetwork(
            configuration: PeerNetworkConfiguration(
                selfIndex: identity.replica, listenHost: configuration.peerListen.host,
                listenPort: configuration.peerListen.port, peers: peers, identity: tls),
            logger: logger)

        let transport = wrapTransport.map { $0(network, identity) } ?? network
        let parts: NodeAssembly
        do {
            parts = try NodeAssembly.assemble(
                identity: identity, configuration: configuration, store: store, transport: transport, logger: logger,
                observer: observer)
        } catch {
            store.close()
            throw error
        }
        logger.info("node opened", metadata: [
            "node": "\(identity.name)", "replica": "\(identity.replica)", "height": "\(parts.height)",
            "view": "\(parts.view)", "chain": "\(identity.genesis.chainID)", "suite": "\(identity.suite.id)",
        ])
        return CivicNode(
            configuration: configuration, identity: identity, store: store, ledger: parts.ledger, network: network,
            transport: transport, driver: parts.driver, backend: parts.backend, logger: logger, observer: observer)
    }

    private init(
        configuration: NodeConfiguration, identity: NodeIdentity, store: RocksDBStore, ledger: Ledger,
        network: PeerNetwork, transport: any PeerTransport, driver: NodeDriver, backend: LedgerNodeBackend, logger: Logger, observer: NodeObserver
    ) {
        self.observer = observer
        self.configuration = configuration
        self.identity = identity
        self.store = store
        self.ledger = ledger
        self.network = network
        self.transport = transport
        self.driver = driver
        self.backend = backend
        self.logger = logger
    }

    static func openStore(_ directory: String) throws(NodeStartError) -> RocksDBStore {
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .store("cannot create \(directory): \(error.localizedDescription)")
        }
        do {
            return try RocksDBStore(path: (directory as NSString).appendingPathComponent("ledger"), columnFamilies: NodeColumns.all)
        } catch {
            throw .store("\(error)")
        }
    }

    static func consensusConfiguration(
        _ configuration: NodeConfiguration, identity: NodeIdentity
    ) throws(NodeStartError) -> Configuration {
        let c = configuration.consensus
        let k = identity.genesis.checkpointInterval
        // The window must be a multiple of the genesis checkpoint interval K and at least 2K.
        let window = max(2 * k, (c.window + k - 1) / k * k)
        let maxRequestBytes = min(64 * 1024, ConsensusLimits.maxRequestBytes)
        do {
            return try Configuration(
                replicaCount: identity.replicaKeys.count, cluster: identity.genesisHash, genesisRoot: identity.genesisRoot,
                checkpointInterval: k, window: window, maxBatchRequests: c.maxBatchTransactions,
                maxBatchBytes: max(c.maxBatchBytes, maxRequestBytes), maxRequestBytes: maxRequestBytes,
                batchDelay: c.batchDelayMillis, maxPendingRequests: max(c.maxPendingRequests, c.maxBatchTransactions),
                requestTimeout: c.requestTimeoutMillis, viewChangeTimeout: c.viewChangeTimeoutMillis,
                statusInterval: c.statusIntervalMillis, timestampBound: c.timestampBoundMillis,
                isValidRequest: { bytes in (try? Canonical.decode(SignedTransaction.self, from: bytes)) != nil })
        } catch {
            throw .consensus("\(error)")
        }
    }
}

/// Hooks for metrics; each is called on the driver and must return quickly.
public struct NodeObserver: Sendable {
    public var blockApplied: @Sendable (_ height: UInt64, _ transactions: Int) -> Void = { _, _ in }
    public var viewChanged: @Sendable (_ view: UInt64) -> Void = { _ in }
    public var mempoolSize: @Sendable (_ count: Int) -> Void = { _ in }
    /// Called by the node's housekeeping loop, a few times a second.
    public var connectedPeers: @Sendable (_ count: Int) -> Void = { _ in }
    /// A peer sent what no correct node sends (`DropReason.provesSenderFaulty`):
    /// the peer's replica index and the reason's name.
    public var peerOffence: @Sendable (_ peer: Int, _ reason: String) -> Void = { _, _ in }
    /// Called by the housekeeping loop with the peer network's running totals.
    public var peerNetwork: @Sendable (_ statistics: PeerNetworkStatistics) -> Void = { _ in }

    public init() {}

    var driverObserver: NodeDriver.Observer {
        let peerOffence = self.peerOffence
        return NodeDriver.Observer(
            blockApplied: blockApplied, viewChanged: viewChanged, mempoolSize: mempoolSize,
            peerOffence: { peer, reason in peerOffence(peer, reason.rawValue) })
    }
}
