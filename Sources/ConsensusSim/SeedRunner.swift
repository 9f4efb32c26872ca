@_spi(Flaws) import Consensus
#if canImport(Glibc)
import Glibc
#endif

/// Totals for one profile over a range of seeds.
public struct ProfileSummary: Sendable, Codable {
    public let profile: FaultProfile
    public let replicaCount: Int
    public internal(set) var seeds = 0
    public internal(set) var failedSeeds: [UInt64] = []
    public internal(set) var violations = 0
    public internal(set) var committedBlocks: UInt64 = 0
    public internal(set) var nullBlocks = 0
    public internal(set) var virtualTime: UInt64 = 0
    public internal(set) var messages = 0
    public internal(set) var viewChanges = 0
    public internal(set) var stateTransfers = 0
    public internal(set) var crashes = 0
    public internal(set) var duplicateOrderings = 0
    public internal(set) var cpuSeconds = 0.0

    public init(profile: FaultProfile, replicaCount: Int) {
        self.profile = profile
        self.replicaCount = replicaCount
    }

    public var cpuMicrosPerBlock: Double {
        committedBlocks == 0 ? 0 : cpuSeconds * 1e6 / Double(committedBlocks)
    }

    mutating func add(_ result: SimulationResult) {
        seeds += 1
        if !result.passed { failedSeeds.append(result.seed) }
        violations += result.violations.count
        committedBlocks += result.committedBlocks
        nullBlocks += result.nullBlocks
        virtualTime += result.virtualTime
        messages += result.messagesSent
        viewChanges += result.viewChanges
        stateTransfers += result.stateTransfers
        crashes += result.crashes
        duplicateOrderings += result.duplicateOrderings
    }
}

public enum SeedRunner {
    /// Runs `seeds` consecutive seeds from `firstSeed`; `configure` may adjust each run's options.
    public static func run(
        profile: FaultProfile, replicaCount: Int, seeds: Range<UInt64>,
        configure: (inout SimulationOptions) -> Void = { _ in },
        onFailure: (SimulationResult) -> Void = { _ in }
    ) -> ProfileSummary {
        var summary = ProfileSummary(profile: profile, replicaCount: replicaCount)
        let start = cpuTime()
        for seed in seeds {
            var options = SimulationOptions(replicaCount: replicaCount, profile: profile, seed: seed)
            configure(&options)
            let result = Simulation(options: options).run()
            summary.add(result)
            if !result.passed { onFailure(result) }
        }
        summary.cpuSeconds = cpuTime() - start
        return summary
    }

    /// CPU time of the calling thread, so parallel test runs do not inflate each other.
    public static func cpuTime() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}
