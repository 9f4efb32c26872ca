import Consensus
import ConsensusSim
import Testing

/// The acceptance sweep: every profile, 1,000 seeds on 4 replicas and 200 on 7,
/// with zero violations. Each seed is short (five requests, faults for 1 s of
/// virtual time) so the sweep fits a debug build; the checkers are the full ones.
@Suite struct SeedSweepTests {
    static let profiles = FaultProfile.allCases

    struct SweepOutcome: Sendable {
        var summary: ProfileSummary
        var failures: [String]
    }

    func sweep(_ profile: FaultProfile, replicas: Int, seeds: UInt64) async {
        let outcome = await onOwnThread {
            var failures: [String] = []
            let summary = SeedRunner.run(profile: profile, replicaCount: replicas, seeds: 0..<seeds, onFailure: { result in
                guard failures.count < 3 else { return }
                let violations = result.violations.prefix(2).map(\.description).joined(separator: "; ")
                let replay = "tools/simulate --seeds 1 --first-seed \(result.seed) --replicas \(replicas) --profile \(profile.rawValue)"
                failures.append("seed \(result.seed): \(violations) (replay: \(replay))")
            })
            return SweepOutcome(summary: summary, failures: failures)
        }
        let summary = outcome.summary
        print("n=\(replicas) \(profile.rawValue): \(summary.seeds) seeds, \(summary.failedSeeds.count) failed, \(summary.committedBlocks) blocks, \(summary.viewChanges) view changes, \(summary.stateTransfers) state transfers, \(summary.crashes) crashes")
        #expect(summary.failedSeeds.isEmpty, "\(summary.failedSeeds.count) failing seeds: \(outcome.failures.joined(separator: "\n"))")
        #expect(summary.committedBlocks >= seeds * 3, "too few blocks committed to be a meaningful sweep")
    }

    @Test(arguments: profiles)
    func fourReplicas(profile: FaultProfile) async {
        await sweep(profile, replicas: 4, seeds: 1000)
    }

    @Test(arguments: profiles)
    func sevenReplicas(profile: FaultProfile) async {
        await sweep(profile, replicas: 7, seeds: 200)
    }

    @Test func aSeedReplaysExactly() async {
        var options = SimulationOptions(replicaCount: 4, profile: .mixed, seed: 42)
        options.trace = true
        let (first, second) = await onOwnThread { [options] in (Simulation(options: options).run(), Simulation(options: options).run()) }
        #expect(first.trace == second.trace)
        #expect(first.trace.count > 100)
    }
}
