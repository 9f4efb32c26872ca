import CLISupport
import ArgumentParser
import LedgerStore

struct ListColumnFamiliesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list-cf",
        abstract: "List the column families in the store, one per line, sorted."
    )

    @Option(name: .long, help: ArgumentHelp("The store directory.", valueName: "dir"))
    var db: String

    func run() throws {
        try reportingFailures {
            let names = try RocksDBStore.listColumnFamilies(path: db).sorted()
            Console.writeOut(names.joined(separator: "\n"))
        }
    }
}
