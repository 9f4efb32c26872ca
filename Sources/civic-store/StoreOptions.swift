import CLISupport
import ArgumentParser
import LedgerStore

/// Options shared by the commands that read or write one column family.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The store directory.", valueName: "dir"))
    var db: String

    @Option(name: .long, help: ArgumentHelp(
        "The column family: 1 to 64 characters from [a-z0-9_].", valueName: "name"))
    var cf: String = "default"

    @Flag(name: .long, help: "Keys and values are hexadecimal, on input (an optional 0x prefix is accepted) and output.")
    var hex = false

    func validate() throws {
        guard ColumnFamily.isValidName(cf) else {
            throw ValidationError(StoreError.invalidColumnFamilyName(cf).description)
        }
    }

    var family: ColumnFamily {
        get throws { try ColumnFamily(cf) }
    }

    var text: ByteText { ByteText(hex: hex) }

    /// For writes: creates the store and the column family when absent.
    func openForWriting() throws -> RocksDBStore {
        try RocksDBStore(path: db, columnFamilies: [family])
    }

    /// For reads and deletes: never creates anything, so a typo in --db or
    /// --cf is reported instead of leaving an empty store behind.
    func openExisting() throws -> RocksDBStore {
        let family = try family
        let existing = try RocksDBStore.listColumnFamilies(path: db)
        guard existing.contains(family.name) else {
            throw CLIFailure.input(
                "column family '\(family.name)' does not exist in '\(db)' (it has: \(existing.sorted().joined(separator: ", ")))")
        }
        return try RocksDBStore(
            path: db, columnFamilies: [family],
            options: .init(createIfMissing: false, createMissingColumnFamilies: false))
    }
}
