import Consensus
import GenesisFile
import LedgerCore
import LedgerCrypto
import LedgerState

public enum NodeStartError: Error, Sendable, CustomStringConvertible {
    case config(NodeConfigError)
    case genesis(String)
    case key(String)
    case store(String)
    case network(String)
    case consensus(String)

    public var description: String {
        switch self {
        case let .config(error): "\(error)"
        case let .genesis(message): "genesis: \(message)"
        case let .key(message): "node key: \(message)"
        case let .store(message): "data directory: \(message)"
        case let .network(message): "peer network: \(message)"
        case let .consensus(message): "consensus: \(message)"
        }
    }
}

/// Who this node is in its cluster, checked against genesis before anything
/// starts: the bureau at `replica` in genesis order must have this node key,
/// and the configuration must list exactly the genesis bureaus as peers.
public struct NodeIdentity: Sendable {
    public let name: String
    public let replica: Int
    public let genesis: GenesisDocument
    public let suite: any CryptoSuite
    public let nodeKey: PrivateKey
    /// Every bureau's node public key, by replica index (genesis order).
    public let replicaKeys: [PublicKey]
    /// Signed into every consensus message so votes never cross chains.
    public let genesisHash: Digest
    public let genesisRoot: Digest

    public static func load(_ configuration: NodeConfiguration) throws(NodeStartError) -> NodeIdentity {
        let genesis: GenesisDocument
        do { genesis = try GenesisFile.load(path: configuration.genesisPath).document() } catch {
            throw .genesis("\(error)")
        }
        guard genesis.bureaus.count == configuration.peers.count else {
            throw .genesis("\(configuration.genesisPath) has \(genesis.bureaus.count) bureaus but the configuration lists \(configuration.peers.count) [[peers]]")
        }
        let nodeKey: PrivateKey
        do { nodeKey = try KeyFile.load(from: configuration.nodeKeyPath, expecting: genesis.suite) } catch {
            throw .key("\(error)")
        }
        return try make(name: configuration.name, replica: configuration.replica, genesis: genesis, nodeKey: nodeKey, origin: configuration)
    }

    /// The identity of replica `replica` holding `nodeKey`, checked against `genesis`.
    static func make(
        name: String, replica: Int, genesis: GenesisDocument, nodeKey: PrivateKey, origin: NodeConfiguration? = nil
    ) throws(NodeStartError) -> NodeIdentity {
        let suite = CryptoSuites.suite(genesis.suite)
        guard genesis.bureaus.indices.contains(replica) else {
            throw .genesis("replica \(replica) is not one of the \(genesis.bureaus.count) bureaus")
        }
        let bureau = genesis.bureaus[replica]
        guard nodeKey.publicKey.compressed == bureau.nodeKey else {
            let keyPath = origin?.nodeKeyPath ?? "the node key"
            let genesisPath = origin?.genesisPath ?? "genesis"
            throw .key("\(keyPath) is not the node key of replica \(replica) (\(bureau.id), \(bureau.nameEn)) in \(genesisPath)")
        }
        var keys: [PublicKey] = []
        for bureau in genesis.bureaus {
            do { keys.append(try suite.publicKey(sec1: bureau.nodeKey.bytes)) } catch {
                throw .genesis("bureau \(bureau.id) node key: \(error)")
            }
        }
        let root: Digest
        do { root = try GenesisState.block(for: genesis).execution.stateRoot } catch { throw .genesis("\(error)") }
        return NodeIdentity(
            name: name, replica: replica, genesis: genesis, suite: suite, nodeKey: nodeKey,
            replicaKeys: keys, genesisHash: suite.digest(Canonical.encode(genesis)), genesisRoot: root)
    }
}
