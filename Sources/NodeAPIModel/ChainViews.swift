/// `GET /v1/status`: where this node is. Digests are lowercase hex.
public struct StatusView: Codable, Sendable, Hashable {
    public let nodeName: String
    public let replica: Int
    public let chainID: String
    /// `standard` (secp256k1 / SHA-256) or `guomi` (SM2 / SM3).
    public let suite: String
    public let height: UInt64
    public let blockHash: String
    public let stateRoot: String
    public let blockTimeMillis: UInt64
    public let view: UInt64
    public let primary: Int
    public let changingView: Bool
    public let connectedPeers: [Int]
    public let mempoolSize: Int
    /// The newest block 2f+1 validators attested (what `proof=true` answers
    /// are proven at); omitted while there is none.
    public let certifiedHeight: UInt64?
    /// What each peer sent that no correct node sends, since this node
    /// started (empty when nothing); absent from servers that predate it.
    public let peerOffences: [PeerOffenceView]?

    public init(
        nodeName: String, replica: Int, chainID: String, suite: String, height: UInt64, blockHash: String,
        stateRoot: String, blockTimeMillis: UInt64, view: UInt64, primary: Int, changingView: Bool,
        connectedPeers: [Int], mempoolSize: Int, certifiedHeight: UInt64? = nil, peerOffences: [PeerOffenceView]? = nil
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

/// One peer's offences for one reason, in `StatusView.peerOffences`.
public struct PeerOffenceView: Codable, Sendable, Hashable {
    /// The peer's replica index (as in `connectedPeers`).
    public let peer: Int
    /// Why its messages were refused, e.g. `equivocation`, `badSignature`, `malformed`.
    public let reason: String
    public let count: UInt64

    public init(peer: Int, reason: String, count: UInt64) {
        self.peer = peer
        self.reason = reason
        self.count = count
    }
}

/// `GET /health`.
public struct HealthView: Codable, Sendable, Hashable {
    public let status: String
    public let height: UInt64
    public let view: UInt64
    public let changingView: Bool

    public init(status: String, height: UInt64, view: UInt64, changingView: Bool) {
        self.status = status
        self.height = height
        self.view = view
        self.changingView = changingView
    }
}

/// A committed block: its header fields, hash, transaction ids and the commit
/// certificate that proves 2f+1 bureaus agreed to it.
public struct BlockView: Codable, Sendable, Hashable {
    public let height: UInt64
    public let blockHash: String
    public let chainID: String
    public let previousHash: String
    public let timestampMillis: UInt64
    public let transactionsRoot: String
    /// The state root after the *parent* block (PBFT executes after commit).
    public let stateRoot: String
    public let proposer: String
    public let transactionCount: Int
    public let transactions: [String]
    public let commitCertificate: String
    public let signers: [Int]

    public init(
        height: UInt64, blockHash: String, chainID: String, previousHash: String, timestampMillis: UInt64,
        transactionsRoot: String, stateRoot: String, proposer: String, transactionCount: Int, transactions: [String],
        commitCertificate: String, signers: [Int]
    ) {
        self.height = height
        self.blockHash = blockHash
        self.chainID = chainID
        self.previousHash = previousHash
        self.timestampMillis = timestampMillis
        self.transactionsRoot = transactionsRoot
        self.stateRoot = stateRoot
        self.proposer = proposer
        self.transactionCount = transactionCount
        self.transactions = transactions
        self.commitCertificate = commitCertificate
        self.signers = signers
    }
}

/// `GET /v1/blocks/{height}/receipts`: every transaction's receipt in a block,
/// in block order, accepted and refused alike.
public struct BlockReceiptsView: Codable, Sendable, Hashable {
    public let height: UInt64
    public let timestampMillis: UInt64
    public let receipts: [ReceiptView]

    public init(height: UInt64, timestampMillis: UInt64, receipts: [ReceiptView]) {
        self.height = height
        self.timestampMillis = timestampMillis
        self.receipts = receipts
    }
}
