@_spi(Flaws) import Consensus

/// Which faults a simulated run injects. Every profile delays messages by a
/// random amount (so they reorder); the others add to that.
public enum FaultProfile: String, Sendable, CaseIterable, Codable {
    /// Random delays only.
    case none
    /// Crashes and restarts (some in the middle of carrying out a step's actions).
    case crash
    /// Partitions that heal.
    case partition
    /// Loss, duplication, long delays, corrupted bytes, skewed timers and clocks.
    case chaos
    /// f byzantine replicas: equivocation, replays, garbage, withholding, double votes.
    case byzantine
    /// All of the above at once, milder each.
    case mixed
    /// A correct replica loses its data folder (SIGKILL, empty consensus log
    /// and application) and rejoins by state transfer, one at a time, while
    /// requests flow: an amnesiac that counts as one of the f faulty.
    case wipe
}

/// One run's parameters. The seed determines everything else.
public struct SimulationOptions: Sendable {
    public var replicaCount: Int
    public var profile: FaultProfile
    public var seed: UInt64
    public var requests: Int = 5
    /// Requests are submitted and faults injected before this virtual time;
    /// afterwards the network is reliable and every crashed replica restarts.
    public var healAt: Millis = 1000
    /// After `healAt`, every request must be applied by every correct replica within this.
    public var livenessBound: Millis = 30_000
    public var checkpointInterval: UInt64 = 2
    public var window: UInt64 = 6
    public var maxBatchRequests = 2
    public var trace = false
    /// Check every commit certificate as a light client would. Tests that must
    /// show the agreement checker alone catching a broken quorum turn it off.
    public var checkCertificates = true
    @_spi(Flaws) public var flaw: Flaw?

    public init(replicaCount: Int, profile: FaultProfile, seed: UInt64) {
        self.replicaCount = replicaCount
        self.profile = profile
        self.seed = seed
    }
}
