import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

/// Runs the CLI with the exit codes documented in `civic --help`, instead of
/// swift-argument-parser's defaults (64 for usage errors).
@main
enum CivicMain {
    static func main() {
        do {
            var command = try Civic.parseAsRoot()
            try command.run()
            exit(ExitCode.success.rawValue)
        } catch let failure as CivicFailure {
            if let message = failure.message { Console.error(message) }
            exit(failure.exitCode)
        } catch {
            if Civic.exitCode(for: error) == .success {
                // --help, --version and help subcommands end here.
                print(Civic.fullMessage(for: error))
                exit(ExitCode.success.rawValue)
            }
            Console.error(Civic.message(for: error) + " (see 'civic --help')")
            exit(CivicFailure.usageExitCode)
        }
    }
}

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
        subcommands: [DigestCommand.self, KeysCommand.self, SignCommand.self, VerifyCommand.self]
    )
}
