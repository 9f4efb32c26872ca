/// Everything `civic-node run` needs, read from `node.toml` (see
/// `NodeConfigFile` and docs/operations.md). Paths are absolute once loaded:
/// relative paths in the file are taken from the file's own folder.
public struct NodeConfiguration: Sendable, Hashable {
    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        public let host: String
        public let port: Int

        public init(host: String, port: Int) {
            self.host = host
            self.port = port
        }

        public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
    }

    public struct Peer: Sendable, Hashable {
        /// Index of the bureau in genesis order: its replica id.
        public let replica: Int
        public let address: Endpoint
    }

    public struct Consensus: Sendable, Hashable {
        public var window: UInt64 = 32
        public var maxBatchTransactions = 512
        public var maxBatchBytes = 256 * 1024
        public var batchDelayMillis: UInt64 = 50
        public var maxPendingRequests = 8192
        public var requestTimeoutMillis: UInt64 = 2000
        public var viewChangeTimeoutMillis: UInt64 = 2000
        public var statusIntervalMillis: UInt64 = 200
        public var timestampBoundMillis: UInt64 = 10_000
    }

    public struct Mempool: Sendable, Hashable {
        /// Unset: this node's share of the replica queue,
        /// `max_pending_requests / replicas` (see `AdmissionShare.swift`). A
        /// larger value is held to that share.
        public var maxTransactions: Int?
        public var maxBytes = 128 << 20
        public var maxPerSender = 5_000
        /// Transactions not committed after this long are offered to consensus again.
        public var resubmitAfterMillis: UInt64 = 10_000
    }

    public var name: String
    public var replica: Int
    public var genesisPath: String
    public var dataDirectory: String
    public var nodeKeyPath: String
    public var tlsCAPath: String
    public var tlsCertificatePath: String
    public var tlsKeyPath: String
    public var peerListen: Endpoint
    public var peers: [Peer]
    public var apiListen: Endpoint
    public var logLevel: String
    public var consensus = Consensus()
    public var mempool = Mempool()
    /// Each key's budget of signed API requests (`APIConfiguration`).
    public var signedRequestsPerSecond = 20
    public var signedRequestBurst = 40
}
