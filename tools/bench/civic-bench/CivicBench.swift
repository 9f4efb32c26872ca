import ArgumentParser

/// The issue-9 benchmarks of a running devnet, each printing a table and
/// writing JSON: `load` (the transaction mix at fixed rates and at the open-loop
/// maximum), `query` (signed counter checks), `limits` (the machine's signature
/// and synced-write ceilings) and `etcd` (the same put load on a CFT cluster).
/// tools/bench/run-all drives them all.
@main
struct CivicBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic-bench",
        abstract: "Benchmarks of a running devnet: transaction load, signed queries, physical limits, etcd side by side.",
        discussion: "Start the devnet first (DEVNET_BUILD=release tools/devnet up). tools/bench/run-all runs every part.",
        subcommands: [LoadCommand.self, QueryCommand.self, LimitsCommand.self, EtcdCommand.self])
}
