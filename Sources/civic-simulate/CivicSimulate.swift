import ArgumentParser
import ConsensusSim
import Foundation

/// Runs the consensus fault simulator over many seeds and reports per profile.
@main
struct CivicSimulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic-simulate",
        abstract: "Run n real PBFT replicas under seeded faults and check agreement, validity and liveness.",
        discussion: """
            Exit status: 0 when every seed passes, 1 when any seed violates a check, 2 on a usage error.
            A failing seed is printed with the command that replays it and the end of its trace.
            """)

    @Option(help: "Seeds per profile.") var seeds: UInt64 = 1000
    @Option(help: "First seed (seeds run from here upwards).") var firstSeed: UInt64 = 0
    @Option(help: "Replicas: 4 or 7.") var replicas: Int = 4
    @Option(help: "none, crash, partition, chaos, byzantine, mixed, wipe, or all.") var profile: String = "all"
    @Option(help: "Write the summary as JSON here (default: tools/bench/results/simulate-<profile>-n<replicas>.json).")
    var json: String?
    @Flag(help: "Print the full trace of each failing seed, not only its end.") var fullTrace = false

    func validate() throws {
        guard replicas == 4 || replicas == 7 else { throw ValidationError("--replicas must be 4 or 7") }
        guard profile == "all" || FaultProfile(rawValue: profile) != nil else {
            throw ValidationError("unknown --profile \(profile); use none, crash, partition, chaos, byzantine, mixed, wipe or all")
        }
        guard seeds > 0 else { throw ValidationError("--seeds must be positive") }
    }

    func run() throws {
        let profiles = profile == "all" ? FaultProfile.allCases : [FaultProfile(rawValue: profile)!]
        var summaries: [ProfileSummary] = []
        print("profile    seeds  failed  violations  blocks  null  view-chg  st-xfer  crashes  virtual-s  cpu-s   cpu-µs/block")
        for profile in profiles {
            let summary = SeedRunner.run(
                profile: profile, replicaCount: replicas, seeds: firstSeed..<(firstSeed + seeds),
                onFailure: report)
            summaries.append(summary)
            print(String(
                format: "%@ %6llu  %6d  %10d  %6llu  %4d  %8d  %7d  %7d  %9.1f  %6.2f  %8.1f",
                profile.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0) as NSString, UInt64(summary.seeds), summary.failedSeeds.count, summary.violations,
                summary.committedBlocks, summary.nullBlocks, summary.viewChanges, summary.stateTransfers,
                summary.crashes, Double(summary.virtualTime) / 1000, summary.cpuSeconds, summary.cpuMicrosPerBlock))
        }
        try writeJSON(summaries)
        if summaries.contains(where: { !$0.failedSeeds.isEmpty }) { throw ExitCode(1) }
    }

    func report(_ failed: SimulationResult) {
        var options = SimulationOptions(replicaCount: replicas, profile: failed.profile, seed: failed.seed)
        options.trace = true
        let replay = Simulation(options: options).run()
        print("FAIL seed \(failed.seed) profile \(failed.profile.rawValue) n=\(replicas)")
        for violation in failed.violations { print("  \(violation)") }
        print("  replay: tools/simulate --seeds 1 --first-seed \(failed.seed) --replicas \(replicas) --profile \(failed.profile.rawValue) --full-trace")
        let lines = fullTrace ? replay.trace : Array(replay.trace.suffix(40))
        for line in lines { print("  | \(line)") }
    }

    func writeJSON(_ summaries: [ProfileSummary]) throws {
        let path = json ?? "tools/bench/results/simulate-\(profile)-n\(replicas).json"
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(summaries).write(to: url)
        print("wrote \(path)")
    }
}
