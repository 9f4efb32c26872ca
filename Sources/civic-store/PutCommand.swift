import ArgumentParser
import LedgerStore

struct PutCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "put",
        abstract: "Store VALUE under KEY, creating the store and column family if needed.",
        discussion: "The write is synced to disk before the command exits."
    )

    @OptionGroup var store: StoreOptions

    @Argument(help: "The key (text, or hex with --hex).")
    var key: String

    @Argument(help: "The value (text, or hex with --hex).")
    var value: String

    func run() throws {
        try reportingFailures {
            let key = try store.text.parse(key, as: "KEY")
            let value = try store.text.parse(value, as: "VALUE")
            let family = try store.family
            let database = try store.openForWriting()
            defer { database.close() }
            var batch = WriteBatch()
            batch.put(key, value, in: family)
            try database.write(batch, sync: true)
        }
    }
}
