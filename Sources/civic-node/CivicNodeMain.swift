import ArgumentParser
import CLISupport
import Logging
import NodeDaemon
import NodeRuntime
import ServiceLifecycle

@main
struct CivicNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic-node",
        abstract: "The CivicLedger bureau node: PBFT consensus, the ledger, peer links and the HTTP API.",
        discussion: """
            A node is configured by one node.toml (docs/operations.md; `civic genesis devnet`
            writes one per devnet node). It stops gracefully on SIGTERM or SIGINT and can be
            killed at any moment: on restart it recovers from its data directory and catches
            up from its peers.

            Exit codes: 0 stopped on request, 1 stopped on a fault (the last log line says
            why), 2 configuration, key or data-directory error at start, on one line
            starting with "civic-node: error:".
            """,
        subcommands: [Run.self, Check.self],
        defaultSubcommand: Run.self
    )

    /// Keeps the documented exit codes and one-line errors (`civic-node: error: …`).
    static func main() async {
        await runAsAsyncTool(named: "civic-node")
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Run the node until SIGTERM or SIGINT.")

        @Option(name: .shortAndLong, help: "The node's configuration file.")
        var config: String

        func run() async throws {
            let configuration = try NodeLauncher.load(config)
            try await NodeLauncher.run(configuration)
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a configuration, its genesis and keys without starting the node.")

        @Option(name: .shortAndLong, help: "The node's configuration file.")
        var config: String

        func run() async throws {
            let configuration = try NodeLauncher.load(config)
            let identity: NodeIdentity
            do { identity = try NodeIdentity.load(configuration) } catch { throw CLIFailure.input("\(error)") }
            let bureau = identity.genesis.bureaus[identity.replica]
            print("""
                \(configuration.name): replica \(identity.replica) of \(identity.replicaKeys.count), \(bureau.id) \(bureau.nameZh) \(bureau.nameEn)
                chain \(identity.genesis.chainID) (\(identity.suite.id)), genesis \(identity.genesisHash.hex)
                peer \(configuration.peerListen), api \(configuration.apiListen), data \(configuration.dataDirectory)
                """)
        }
    }
}
