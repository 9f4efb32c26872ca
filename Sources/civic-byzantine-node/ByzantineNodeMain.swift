import ArgumentParser
import CLISupport
import NodeDaemon
import NodeRuntime

/// The real node with a transport that misbehaves, for ByzantinePeerTests:
/// the honest nodes must detect it, name it, and go on committing.
@main
struct ByzantineNodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic-byzantine-node",
        abstract: "Test only: run a CivicLedger node that misbehaves towards its peers.",
        // One line per paragraph: the help text is re-wrapped to the terminal.
        discussion: """
            Runs exactly what `civic-node run` runs (same configuration file, store, consensus and HTTP API), but everything the node sends its peers passes through a transport that rewrites it as the flags say. The node signs only with its own key: it can lie, not impersonate. Used by the end-to-end ByzantinePeerTests; never deploy it.

            Exit codes as civic-node's: 0 stopped on request, 1 stopped on a fault, 2 configuration or usage error.
            """)

    @Option(name: .shortAndLong, help: "The node's configuration file (as for civic-node run).")
    var config: String

    @Flag(help: "As primary, send conflicting PRE-PREPAREs (two batches for one sequence) to the backups.")
    var equivocate = false

    @Flag(help: "Follow each PREPARE and COMMIT with a second one, for a fabricated digest.")
    var doubleVote = false

    @Flag(help: "Re-send old messages: peers' own back to them, peers' to other peers, and this node's stale ones.")
    var replay = false

    @Flag(help: "Send truncated frames, undecodable consensus messages, and copies of messages with bad signatures.")
    var garbage = false

    @Flag(help: "All of the above.")
    var all = false

    var misbehaviour: Misbehaviour {
        Misbehaviour(
            equivocate: equivocate || all, doubleVote: doubleVote || all, replay: replay || all, garbage: garbage || all)
    }

    func validate() throws {
        guard misbehaviour.any else {
            throw ValidationError("choose at least one of --equivocate, --double-vote, --replay, --garbage, --all")
        }
    }

    static func main() async {
        await runAsAsyncTool(named: "civic-byzantine-node")
    }

    func run() async throws {
        let configuration = try NodeLauncher.load(config)
        let misbehaviour = self.misbehaviour
        try await NodeLauncher.run(configuration) { transport, identity in
            ByzantineTransport(wrapping: transport, identity: identity, misbehaviour: misbehaviour)
        }
    }
}
