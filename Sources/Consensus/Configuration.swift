import LedgerCore

/// Why a configuration was refused.
public enum ConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalid(field: String, reason: String)

    public var description: String {
        switch self {
        case let .invalid(field, reason): return "consensus configuration: \(field): \(reason)"
        }
    }
}

/// Deliberate protocol bugs, compiled in but reachable only through the
/// `Flaws` SPI, so tests can prove the simulator's checkers catch broken replicas.
@_spi(Flaws) public enum Flaw: String, Sendable, Hashable, CaseIterable {
    /// Commit on 2f matching COMMITs instead of 2f+1.
    case commitQuorumTwoF
    /// Send VIEW-CHANGE without prepared certificates.
    case skipPreparedCertificates
    /// Use f+1 for every quorum: two halves of a partition both make progress.
    case majorityQuorums
}

/// Everything a replica needs to know about its cluster and its pace. Times are
/// in the driver's milliseconds.
public struct Configuration: Sendable {
    /// n = 3f + 1.
    public let replicaCount: Int
    /// Signed into every message (e.g. the genesis hash), so votes never cross chains.
    public let cluster: Digest
    /// The application's state root before any batch, the checkpoint at sequence 0.
    public let genesisRoot: Digest
    /// K: a checkpoint every K sequence numbers.
    public let checkpointInterval: UInt64
    /// L: sequence numbers accepted above the stable checkpoint (a multiple of K, at least 2K).
    public let window: UInt64
    public let maxBatchRequests: Int
    public let maxBatchBytes: Int
    public let maxRequestBytes: Int
    /// How long the primary waits to fill a batch; 0 proposes at once.
    public let batchDelay: Millis
    public let maxPendingRequests: Int
    /// A backup waiting this long for a request to execute suspects the primary.
    public let requestTimeout: Millis
    /// Base timeout for a view change to complete; doubled on each consecutive failure.
    public let viewChangeTimeout: Millis
    public let maxBackoffExponent: Int
    public let statusInterval: Millis
    /// A batch timestamp must be within this of the replica's own time.
    public let timestampBound: Millis
    /// The application's cheap, deterministic admission rule for a request (e.g.
    /// well-formed and signed by its client). Backups refuse batches that break it.
    public let isValidRequest: @Sendable ([UInt8]) -> Bool
    @_spi(Flaws) public var flaw: Flaw?

    public init(
        replicaCount: Int, cluster: Digest, genesisRoot: Digest,
        checkpointInterval: UInt64 = 8, window: UInt64 = 32,
        maxBatchRequests: Int = 256, maxBatchBytes: Int = 256 * 1024, maxRequestBytes: Int = 64 * 1024,
        batchDelay: Millis = 5, maxPendingRequests: Int = 4096,
        requestTimeout: Millis = 1000, viewChangeTimeout: Millis = 1000, maxBackoffExponent: Int = 4,
        statusInterval: Millis = 200, timestampBound: Millis = 5000,
        isValidRequest: @escaping @Sendable ([UInt8]) -> Bool = { _ in true }
    ) throws(ConfigurationError) {
        func check(_ ok: Bool, _ field: String, _ reason: String) throws(ConfigurationError) {
            if !ok { throw .invalid(field: field, reason: reason) }
        }
        try check(replicaCount >= 4 && replicaCount <= ConsensusLimits.maxReplicas && (replicaCount - 1) % 3 == 0,
                  "replicaCount", "\(replicaCount) is not 3f+1 in 4...\(ConsensusLimits.maxReplicas)")
        try check(checkpointInterval >= 1, "checkpointInterval", "must be at least 1")
        try check(window >= 2 * checkpointInterval && window % checkpointInterval == 0 && window <= UInt64(ConsensusLimits.maxWindow),
                  "window", "\(window) must be a multiple of K = \(checkpointInterval), at least 2K and at most \(ConsensusLimits.maxWindow)")
        try check((1...ConsensusLimits.maxBatchRequests).contains(maxBatchRequests), "maxBatchRequests", "not in 1...\(ConsensusLimits.maxBatchRequests)")
        try check((1...ConsensusLimits.maxRequestBytes).contains(maxRequestBytes), "maxRequestBytes", "not in 1...\(ConsensusLimits.maxRequestBytes)")
        try check(maxBatchBytes >= maxRequestBytes && maxBatchBytes <= ConsensusLimits.maxBatchBytes,
                  "maxBatchBytes", "must hold one largest request and be at most \(ConsensusLimits.maxBatchBytes)")
        try check(UInt64(maxBatchBytes) * window <= UInt64(ConsensusLimits.maxAttachedBatchBytes),
                  "maxBatchBytes", "window × maxBatchBytes must fit the \(ConsensusLimits.maxAttachedBatchBytes)-byte VIEW-CHANGE budget")
        try check(maxPendingRequests >= maxBatchRequests && maxPendingRequests <= 1 << 20, "maxPendingRequests", "must hold a full batch and be at most 2^20")
        try check(requestTimeout > 0 && viewChangeTimeout > 0 && statusInterval > 0, "timeouts", "must be positive")
        try check((0...16).contains(maxBackoffExponent), "maxBackoffExponent", "not in 0...16")
        self.replicaCount = replicaCount
        self.cluster = cluster
        self.genesisRoot = genesisRoot
        self.checkpointInterval = checkpointInterval
        self.window = window
        self.maxBatchRequests = maxBatchRequests
        self.maxBatchBytes = maxBatchBytes
        self.maxRequestBytes = maxRequestBytes
        self.batchDelay = batchDelay
        self.maxPendingRequests = maxPendingRequests
        self.requestTimeout = requestTimeout
        self.viewChangeTimeout = viewChangeTimeout
        self.maxBackoffExponent = maxBackoffExponent
        self.statusInterval = statusInterval
        self.timestampBound = timestampBound
        self.isValidRequest = isValidRequest
        self.flaw = nil
    }

    public var f: Int { (replicaCount - 1) / 3 }

    public func primary(of view: ViewNumber) -> ReplicaID {
        ReplicaID(Int(view % UInt64(replicaCount)))
    }

    /// Matching PREPAREs (besides the pre-prepare) that make a request prepared.
    var prepareQuorum: Int { flaw == .majorityQuorums ? f : 2 * f }
    var commitQuorum: Int {
        switch flaw {
        case .commitQuorumTwoF: 2 * f
        case .majorityQuorums: f + 1
        default: 2 * f + 1
        }
    }
    var checkpointQuorum: Int { flaw == .majorityQuorums ? f + 1 : 2 * f + 1 }
    var viewChangeQuorum: Int { flaw == .majorityQuorums ? f + 1 : 2 * f + 1 }
    /// VIEW-CHANGEs for higher views that pull a replica along (at least one honest).
    var joinQuorum: Int { f + 1 }
}
