import CLISupport
import ArgumentParser
import LedgerStore

@main
struct CivicStore: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic-store",
        abstract: "Inspect and edit a CivicLedger store directory (RocksDB).",
        discussion: """
            An operator and debugging tool. RocksDB lets one process at a time open a \
            directory, so stop the node before pointing this tool at its store.

            KEY, VALUE and --prefix are UTF-8 text, or hexadecimal (for example 00ff10) \
            with --hex. Output uses the same encoding; in text mode, bytes that are not \
            printable UTF-8 are shown as \\xNN and a backslash as \\\\.

            Exit codes: 0 success; 1 `get` found no value; 2 usage, input or store error, \
            explained in one line on standard error ("civic-store: error: ...").
            """,
        subcommands: [
            PutCommand.self, GetCommand.self, DeleteCommand.self, ScanCommand.self,
            ListColumnFamiliesCommand.self,
        ]
    )

    /// Replaces ArgumentParser's entry point to keep the documented exit codes.
    static func main() {
        runAsTool(named: "civic-store")
    }
}

/// Runs the body of a command's `run()`, turning every failure into a
/// `CLIFailure`: a store error or bad input is reported as one line with
/// status 2 and without the "see --help" hint that `runAsTool` adds to
/// argument-parsing errors only.
func reportingFailures(_ body: () throws -> Void) throws(CLIFailure) {
    do {
        try body()
    } catch let failure as CLIFailure {
        throw failure
    } catch let error as StoreError {
        throw .input(error.description)
    } catch {
        throw .input(String(describing: error))
    }
}
