import ArgumentParser
import LedgerStore

struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Remove KEY (succeeds when it is already absent).",
        discussion: "The write is synced to disk before the command exits."
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
            var batch = WriteBatch()
            batch.delete(key, in: family)
            try database.write(batch, sync: true)
        }
    }
}
