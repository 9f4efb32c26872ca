import ArgumentParser
import CLISupport

@main
struct Civic: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic",
        abstract: "CivicLedger command-line tool for bureaus, counters (窗口), holders, taxpayers and auditors.",
        discussion: """
            Who uses what:
              bureau operator  civic licence …, civic registry …  (the bureau admin key)
              counter (窗口)    civic counter request | verify     (the office key)
              holder (持证人)   civic holder grant | revoke | grants | access-log
              taxpayer         civic invoice issue | claim | reimburse | reverse
              tax auditor      civic audit trace | invoices | anomalies
              anyone           civic chain status | block | tx | bureaus
            Commands that talk to a node take --node URL (env CIVIC_NODE, default
            http://127.0.0.1:8101, the devnet's node1), --key FILE (env CIVIC_KEY), --json
            and --wait SECONDS (how long to wait for a commit; a progress line shows on a
            terminal after one second). See docs/guide-*.md for each role's walk-through.

            Exit codes:
              0  success (VERIFIED, committed and accepted, found)
              1  a negative answer: REFUSED (by the ledger, a check, or the node), not
                 found, or `verify` found the signature invalid
              2  usage or input error (bad arguments, unreadable file, malformed input)
              3  the node is unreachable or answered something unexpected, or a
                 transaction was not committed within --wait

            Errors are one line on standard error, starting with "civic: error:".
            Crypto suites (chosen per chain in genesis):
              standard  SHA-256 and secp256k1 ECDSA
              guomi     国密 SM3 and SM2 (GB/T 32905, GB/T 32918)
            """,
        version: "0.2.0",
        subcommands: [
            LicenceCommand.self, HolderCommand.self, CounterCommand.self, InvoiceCommand.self, AuditCommand.self,
            ChainCommand.self, RegistryCommand.self,
            DigestCommand.self, KeysCommand.self, SignCommand.self, VerifyCommand.self, GenesisCommand.self,
        ]
    )

    /// Replaces ArgumentParser's entry point to keep the documented exit codes.
    static func main() async {
        await runAsAsyncTool(named: "civic")
    }
}
