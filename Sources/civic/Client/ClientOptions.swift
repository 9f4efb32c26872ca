import ArgumentParser
import Foundation

/// The options every command that talks to a node takes. ArgumentParser has no
/// true global options, so each such command includes this group; the help of
/// `civic` lists them once.
struct ClientOptions: ParsableArguments {
    @Option(
        name: .customLong("node"),
        help: ArgumentHelp(
            "The node's API base URL (env CIVIC_NODE).", valueName: "URL"))
    var nodeURL: String = ProcessInfo.processInfo.environment["CIVIC_NODE"] ?? "http://127.0.0.1:8101"

    @Option(
        name: .customLong("key"),
        help: ArgumentHelp(
            "Your key file (密钥): a bureau's admin key, an office's, a holder's or a taxpayer's (env CIVIC_KEY).",
            valueName: "FILE"))
    var keyPath: String = ProcessInfo.processInfo.environment["CIVIC_KEY"] ?? ""

    @Flag(help: "Print one JSON document on stdout instead of text.")
    var json = false

    @Option(help: ArgumentHelp("How long to wait for a transaction to commit.", valueName: "SECONDS"))
    var wait: Int = 60

    func validate() throws {
        guard (1...3600).contains(wait) else { throw ValidationError("--wait is 1 to 3600 seconds") }
    }
}
