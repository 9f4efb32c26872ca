import LedgerCore
import LedgerCrypto
import LedgerState

/// What the HTTP API needs from a running node. The runtime implements it over
/// its mempool, consensus driver and ledger; tests implement it over an
/// in-memory ledger, so one set of route tests covers both.
public protocol NodeBackend: Sendable {
    /// The chain's crypto suite (transaction ids, API request signatures).
    var suite: any CryptoSuite { get }

    /// Admits encoded `SignedTransaction`s into the mempool, one outcome each,
    /// in order. The signature is checked here, once.
    func submit(_ transactions: [[UInt8]]) async -> [SubmitOutcome]

    /// The receipt of `transaction` once its block is applied. With `waitMillis`,
    /// waits up to that long for it to commit before answering `.pending`.
    func receipt(of transaction: TxID, waitMillis: UInt64?) async throws(NodeBackendError) -> ReceiptLookup

    func status() async -> NodeStatus

    func block(at height: Height) async throws(NodeBackendError) -> StoredBlock?
    func block(hash: Digest) async throws(NodeBackendError) -> StoredBlock?

    /// Runs `body` over a snapshot of the applied state, closed afterwards.
    func withQueries<T: Sendable>(
        _ body: @Sendable (LedgerQueries) throws(LedgerError) -> T
    ) async throws(NodeBackendError) -> T

    /// Runs `body` over the newest certified state (the state after a block
    /// that 2f+1 validators attested), at height `minHeight` or above; waits up
    /// to `waitMillis` for one. Throws `.unavailable` when there is none yet.
    func withCertifiedQueries<T: Sendable>(
        minHeight: UInt64, waitMillis: UInt64,
        _ body: @Sendable (LedgerQueries) throws(LedgerError) -> T
    ) async throws(NodeBackendError) -> (value: T, certified: CertifiedBlock)
}

/// A block 2f+1 validators attested: its header and their `StateCertificate`
/// (canonical DER; NodeAPI passes it on without reading it).
public struct CertifiedBlock: Sendable, Hashable {
    public let header: BlockHeader
    public let certificate: [UInt8]

    public init(header: BlockHeader, certificate: [UInt8]) {
        self.header = header
        self.certificate = certificate
    }
}

public enum SubmitOutcome: Sendable, Hashable {
    /// New in the mempool.
    case accepted(TxID)
    /// Already in the mempool or already committed: submitting twice is harmless.
    case known(TxID)
    /// Never admitted: undecodable, bad signature, expired, over a size limit.
    case rejected(code: String, message: String)
    /// The mempool (or this sender's share of it) is full; try again later.
    case full(retryAfterSeconds: Int)
}

public enum ReceiptLookup: Sendable, Hashable {
    case committed(Receipt)
    /// In the mempool or in a block not yet applied here.
    case pending
    case unknown
}

/// A committed block as the node keeps it, with the commit certificate that
/// proves 2f+1 bureaus agreed to it (canonical DER, see docs/consensus.md).
public struct StoredBlock: Sendable, Hashable {
    public let block: Block
    public let blockHash: Digest
    public let commitCertificate: [UInt8]
    /// The bureaus (replica indexes) whose COMMIT votes the certificate holds.
    public let signers: [Int]

    public init(block: Block, blockHash: Digest, commitCertificate: [UInt8], signers: [Int]) {
        self.block = block
        self.blockHash = blockHash
        self.commitCertificate = commitCertificate
        self.signers = signers
    }
}

public struct NodeStatus: Sendable, Hashable {
    public var nodeName: String
    public var replica: Int
    public var chainID: String
    public var suite: String
    public var height: UInt64
    public var blockHash: Digest
    /// The state root after the last applied block.
    public var stateRoot: Digest
    public var blockTimeMillis: UInt64
    public var view: UInt64
    public var primary: Int
    public var changingView: Bool
    public var connectedPeers: [Int]
    public var mempoolSize: Int
    /// The newest block 2f+1 validators attested, which `proof=true` reads are
    /// proven at; nil while there is none (after a start, until one certifies).
    public var certifiedHeight: UInt64?
    /// What peers sent that no correct node sends, by peer and reason, since
    /// this node started; nil from a backend that does not count them.
    public var peerOffences: [PeerOffenceCount]?

    public init(
        nodeName: String, replica: Int, chainID: String, suite: String, height: UInt64, blockHash: Digest,
        stateRoot: Digest, blockTimeMillis: UInt64, view: UInt64, primary: Int, changingView: Bool,
        connectedPeers: [Int], mempoolSize: Int, certifiedHeight: UInt64? = nil, peerOffences: [PeerOffenceCount]? = nil
    ) {
        self.certifiedHeight = certifiedHeight
        self.peerOffences = peerOffences
        self.nodeName = nodeName
        self.replica = replica
        self.chainID = chainID
        self.suite = suite
        self.height = height
        self.blockHash = blockHash
        self.stateRoot = stateRoot
        self.blockTimeMillis = blockTimeMillis
        self.view = view
        self.primary = primary
        self.changingView = changingView
        self.connectedPeers = connectedPeers
        self.mempoolSize = mempoolSize
    }
}

/// Offences of one peer for one reason (a `Consensus.DropReason` name).
public struct PeerOffenceCount: Sendable, Hashable {
    /// The peer's replica index, as in `NodeStatus.connectedPeers`.
    public var peer: Int
    public var reason: String
    public var count: UInt64

    public init(peer: Int, reason: String, count: UInt64) {
        self.peer = peer
        self.reason = reason
        self.count = count
    }

    /// The name metrics and logs give a peer: `node1` for replica 0, as the
    /// devnet names them (a node knows its peers by index, not by name).
    public static func peerName(_ peer: Int) -> String { "node\(peer + 1)" }
}

public enum NodeBackendError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The node cannot answer right now (starting, syncing, store fault).
    case unavailable(String)
    case ledger(String)

    public var description: String {
        switch self {
        case let .unavailable(why): "node unavailable: \(why)"
        case let .ledger(why): "ledger: \(why)"
        }
    }
}
