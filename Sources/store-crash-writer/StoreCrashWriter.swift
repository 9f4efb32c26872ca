import CLISupport
import ArgumentParser
import LedgerStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The victim in the store's crash tests (Tests/EndToEndTests/StoreCrashTests):
/// writes acknowledged batches until killed. Not an operator tool and not
/// shipped as a product.
@main
struct StoreCrashWriter: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store-crash-writer",
        abstract: "Test helper for the store's crash tests: write synced batches, acknowledge each, wait to be killed.",
        discussion: """
            This program exists only for the crash tests in \
            Tests/EndToEndTests/StoreCrashTests.swift; it is not an operator tool.

            Batch i puts key k<i> (i zero-padded to 8 digits) into column family \
            'default' and key m<i> into '\(StoreCrashWriter.mirrorFamilyName)', both with \
            value v<i>, in one atomic synced write, then prints "acked <i>". After \
            the last batch it sleeps, with the store open, until killed. A store that \
            survives SIGKILL holds every acknowledged batch, and each batch either \
            wholly or not at all.

            Exit codes: 2 for bad arguments or a store error (one line on standard \
            error); otherwise it runs until killed.
            """
    )

    static let mirrorFamilyName = "mirror"
    static let maximumCount = 99_999_999

    @Option(name: .long, help: ArgumentHelp("The store directory.", valueName: "dir"))
    var db: String

    @Option(name: .long, help: ArgumentHelp("How many batches to write (1...\(maximumCount)).", valueName: "n"))
    var count: Int

    static func main() {
        runAsTool(named: "store-crash-writer")
    }

    func validate() throws {
        guard (1...Self.maximumCount).contains(count) else {
            throw ValidationError("--count must be in 1...\(Self.maximumCount), not \(count)")
        }
    }

    func run() throws {
        do {
            try writeUntilKilled()
        } catch {
            throw CLIFailure.input(error.description)
        }
    }

    private func writeUntilKilled() throws(StoreError) -> Never {
        let mirror = try ColumnFamily(Self.mirrorFamilyName)
        let database = try RocksDBStore(path: db, columnFamilies: [mirror])
        for index in 0..<count {
            let digits = String(index)
            let padded = String(repeating: "0", count: max(0, 8 - digits.count)) + digits
            var batch = WriteBatch()
            batch.put(Array("k\(padded)".utf8), Array("v\(padded)".utf8))
            batch.put(Array("m\(padded)".utf8), Array("v\(padded)".utf8), in: mirror)
            try database.write(batch, sync: true)
            Console.writeOut("acked \(index)")
        }
        // Keep the store open, as a node would, until the test kills us.
        withExtendedLifetime(database) { () -> Never in
            while true {
                _ = pause()
            }
        }
    }
}
