import CLISupport
import ArgumentParser
import LedgerStore

struct GetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print the value stored under KEY.",
        discussion: """
            Exits with status 1 when KEY has no value: nothing on standard output, \
            one line on standard error.
            """
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The key (text, or hex with --hex).")
    var key: String

    func run() throws {
        try reportingFailures {
            let key = try store.text.parse(key, as: "KEY")
            let family = try store.family
            let database = try store.openExisting()
            defer { database.close() }
            guard let value = try database.get(key, in: family) else {
                throw CLIFailure.negative("no value for \(store.text.render(key)) in column family '\(family.name)'")
            }
            Console.writeOut(store.text.render(value))
        }
    }
}
