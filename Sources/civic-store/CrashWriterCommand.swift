import CLISupport
import ArgumentParser
import Foundation
import LedgerStore

/// The victim in crash tests: writes acknowledged batches until killed.
struct CrashWriterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "crash-writer",
        abstract: "Write synced batches and acknowledge each, then wait to be killed (for crash tests).",
        discussion: """
            Batch i puts key k<i> (i zero-padded to 8 digits) into column family \
            'default' and key m<i> into '\(CrashWriterCommand.mirrorFamilyName)', both with \
            value v<i>, in one atomic synced write, then prints "acked <i>". After \
            the last batch it sleeps until killed. A store that survives SIGKILL holds \
            every acknowledged batch, and each batch either wholly or not at all.
            """
    )

    static let mirrorFamilyName = "mirror"
    static let maximumCount = 99_999_999

    @Option(name: .long, help: ArgumentHelp("The store directory.", valueName: "dir"))
    var db: String

    @Option(name: .long, help: ArgumentHelp("How many batches to write (1...\(maximumCount)).", valueName: "n"))
    var count: Int

    func validate() throws {
        guard (1...Self.maximumCount).contains(count) else {
            throw ValidationError("--count must be in 1...\(Self.maximumCount), not \(count)")
        }
    }

    func run() throws {
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
        while true {
            _ = pause()
        }
    }
}
