import CLISupport
import ArgumentParser
import LedgerStore

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "List entries in key order, one per line: KEY, a tab, VALUE.",
        discussion: """
            Keys are ordered bytewise (unsigned), as RocksDB stores them. One scan \
            returns at most --limit entries and stops early once the keys and values \
            it has read reach \(StoreLimits.maxScanBytes / (1024 * 1024)) MiB; it then \
            says so in one line on standard error.
            """
    )

    @OptionGroup var store: StoreOptions

    @Option(help: ArgumentHelp("Only keys starting with this (text, or hex with --hex).", valueName: "prefix"))
    var prefix: String?

    @Option(help: ArgumentHelp("Print at most this many entries (1...\(StoreLimits.maxScanLimit)).", valueName: "n"))
    var limit = 1_000

    @Flag(help: "Descending key order.")
    var reverse = false

    func validate() throws {
        guard (1...StoreLimits.maxScanLimit).contains(limit) else {
            throw ValidationError(StoreError.invalidLimit(limit).description)
        }
    }

    func run() throws {
        try reportingFailures {
            let range = try prefix.map { KeyRange.prefix(try store.text.parse($0, as: "--prefix")) } ?? .all
            let family = try store.family
            let database = try store.openExisting()
            defer { database.close() }
            let entries = try database.scan(family, range: range, limit: limit, reverse: reverse)
            guard !entries.isEmpty else { return }
            let lines = entries.map { store.text.render($0.key) + "\t" + store.text.render($0.value) }
            Console.writeOut(lines.joined(separator: "\n"))
            let bytes = entries.reduce(0) { $0 + $1.key.count + $1.value.count }
            if entries.count < limit, bytes >= StoreLimits.maxScanBytes {
                Console.writeError(
                    "civic-store: note: stopped after \(entries.count) entries at the scan's "
                        + "\(StoreLimits.maxScanBytes / (1024 * 1024)) MiB cap; there may be more")
            }
        }
    }
}
