import ArgumentParser
import CLISupport

@main
struct Civic: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic",
        abstract: "CivicLedger command-line tool for bureaus, counters (窗口), holders, taxpayers and auditors.",
        discussion: """
            Exit codes:
              0  success
              1  a negative answer (e.g. `verify` found the signature invalid)
              2  usage or input error (bad arguments, unreadable file, malformed hex or key)

            Errors are one line on standard error, starting with "civic: error:".
            Crypto suites (chosen per chain in genesis):
              standard  SHA-256 and secp256k1 ECDSA
              guomi     国密 SM3 and SM2 (GB/T 32905, GB/T 32918)
            """,
        version: "0.1.0",
        subcommands: [DigestCommand.self, KeysCommand.self, SignCommand.self, VerifyCommand.self, GenesisCommand.self]
    )

    /// Replaces ArgumentParser's entry point to keep the documented exit codes.
    static func main() {
        runAsTool(named: "civic")
    }
}
