import CLISupport
import ArgumentParser
import LedgerStore

struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the value stored under KEY.",
        discussion: "Exits with status 1, printing nothing on standard output, when KEY has no value."
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The key (text, or hex with --hex).")
    var key: String

    func run() throws {
        let key = try store.text.parse(key, as: "KEY")
        let family = try store.family
        let database = try store.openExisting()
        defer { database.close() }
        guard let value = try database.get(key, in: family) else {
            Console.writeError("civic-store: not found: \(store.text.render(key)) in column family '\(family.name)'")
            throw ExitCode(ExitStatus.notFound)
        }
        Console.writeOut(store.text.render(value))
    }
}
