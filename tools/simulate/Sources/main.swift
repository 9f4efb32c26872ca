import ConsensusSim
let profile = FaultProfile(rawValue: CommandLine.arguments[1])!
let n = Int(CommandLine.arguments[2])!
let count = UInt64(CommandLine.arguments[3])!
let summary = SeedRunner.run(profile: profile, replicaCount: n, seeds: 0..<count, onFailure: { result in
    print("seed \(result.seed): \(result.violations.map(\.description))")
})
print(summary)
