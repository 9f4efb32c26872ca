import Foundation
import Testing

/// Drives the real `civic-store` and `store-crash-writer` binaries: a writer
/// killed with SIGKILL must lose no acknowledged batch and tear none, and the
/// store must reopen.
@Suite("civic-store crash safety")
struct StoreCrashTests {
    /// How long the crash writer may take before the test gives up on it. A
    /// bound so a hung child fails the test instead of hanging it; not a
    /// measurement.
    static let patience: Duration = .seconds(120)

    @Test
    func sigkilledWriterKeepsEveryAcknowledgedBatchWhole() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.path("db")

        let writer = try CrashWriter(arguments: ["--db", db, "--count", "10000"], stderrIn: directory)
        let acked = try writer.readAcknowledgements(atLeast: 200, patience: Self.patience)
        writer.kill()
        try writer.waitForExit(patience: Self.patience)
        #expect(writer.process.terminationReason == .uncaughtSignal)
        #expect(writer.process.terminationStatus == SIGKILL)

        let families = try civicStore(["list-cf", "--db", db])
        #expect(families.status == 0, "\(families.stderr)")
        #expect(families.lines == ["default", "mirror"])

        // Each batch wrote k<i> in default and m<i> in mirror: after recovery
        // both hold the same unbroken run 0..<n, and n covers every ack.
        let main = try civicStore(["scan", "--db", db, "--limit", "100000"])
        let mirror = try civicStore(["scan", "--db", db, "--cf", "mirror", "--limit", "100000"])
        #expect(main.status == 0, "\(main.stderr)")
        #expect(mirror.status == 0, "\(mirror.stderr)")
        let mainIndices = try batchIndices(main.lines, keyPrefix: "k")
        let mirrorIndices = try batchIndices(mirror.lines, keyPrefix: "m")
        #expect(mainIndices == Array(0..<mainIndices.count), "default holds a gap")
        #expect(mirrorIndices == mainIndices, "a batch was torn between column families")
        #expect(mainIndices.count > acked, "acknowledged \(acked), recovered only up to \(mainIndices.count - 1)")

        let last = try civicStore(["get", "--db", db, "k" + padded(acked)])
        #expect(last.status == 0, "\(last.stderr)")
        #expect(last.lines == ["v" + padded(acked)])

        // Recovered, the store takes writes again.
        let put = try civicStore(["put", "--db", db, "after-crash", "ok"])
        #expect(put.status == 0, "\(put.stderr)")
        let get = try civicStore(["get", "--db", db, "after-crash"])
        #expect(get.status == 0 && get.lines == ["ok"], "\(get.stderr)")
    }

    @Test
    func valuesSurviveCloseAndReopen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.path("db")

        let writes: [[String]] = [
            ["put", "--db", db, "licence/1", "issued"],
            ["put", "--db", db, "--cf", "consent", "grant/9", "active"],
            ["put", "--db", db, "--hex", "00ff", "c3a9"],
            ["put", "--db", db, "licence/1", "revoked"],
            ["put", "--db", db, "licence/2", "issued"],
            ["delete", "--db", db, "licence/2"],
        ]
        for arguments in writes {
            let result = try civicStore(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }

        let licence = try civicStore(["get", "--db", db, "licence/1"])
        #expect(licence.status == 0 && licence.lines == ["revoked"], "\(licence.stderr)")
        let grant = try civicStore(["get", "--db", db, "--cf", "consent", "grant/9"])
        #expect(grant.status == 0 && grant.lines == ["active"], "\(grant.stderr)")
        let binary = try civicStore(["get", "--db", db, "--hex", "00ff"])
        #expect(binary.status == 0 && binary.lines == ["c3a9"], "\(binary.stderr)")
        let deleted = try civicStore(["get", "--db", db, "licence/2"])
        #expect(deleted.status == 1)
        #expect(deleted.stdout.isEmpty)

        let scan = try civicStore(["scan", "--db", db, "--prefix", "licence/"])
        #expect(scan.lines == ["licence/1\trevoked"])
        let all = try civicStore(["scan", "--db", db])
        #expect(all.lines == ["\\x00\\xff\té", "licence/1\trevoked"])
        let families = try civicStore(["list-cf", "--db", db])
        #expect(families.lines == ["consent", "default"])
    }

    /// Argument errors carry the "see --help" hint; store and input errors,
    /// reported by the command itself, do not.
    @Test(arguments: [
        (["get", "--db", "DB", "--cf", "Not-Valid", "k"], true),
        (["scan", "--db", "DB", "--limit", "0"], true),
        (["put", "--db", "DB", "only-a-key"], true),
        (["no-such-command"], true),
        (["crash-writer", "--db", "DB", "--count", "1"], true),
        (["get", "--db", "DB", "--cf", "absent", "k"], false),
        (["get", "--db", "MISSING", "k"], false),
        (["scan", "--db", "FILE"], false),
        (["put", "--db", "FILE", "k", "v"], false),
        (["list-cf", "--db", "MISSING"], false),
        (["put", "--db", "DB", "--hex", "abc", "00"], false),
        (["get", "--db", "DB", "--hex", "zz"], false),
    ])
    func refusalsAreOneLineWithStatusTwo(_ arguments: [String], isUsageError: Bool) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.path("db")
        let created = try civicStore(["put", "--db", db, "k", "v"])
        #expect(created.status == 0, "\(created.stderr)")
        let file = directory.path("plain-file")
        #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))

        let placeholders = ["DB": db, "MISSING": directory.path("missing"), "FILE": file]
        let resolved = arguments.map { placeholders[$0] ?? $0 }
        let result = try civicStore(resolved)
        #expect(result.status == 2, "\(resolved) exited \(result.status): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        let errorLines = result.stderr.split(separator: "\n")
        #expect(errorLines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("civic-store: error: "), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("(see 'civic-store --help')\n") == isUsageError, "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("missing")))
        #expect(FileManager.default.contents(atPath: file) == Data("x".utf8))
    }

    @Test
    func storeErrorsCarryRocksDBsReason() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.path("db")
        try FileManager.default.createDirectory(atPath: db, withIntermediateDirectories: false)
        #expect(FileManager.default.createFile(atPath: db + "/CURRENT", contents: Data("garbage".utf8)))
        let result = try civicStore(["put", "--db", db, "k", "v"])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("civic-store: error: cannot open store at '\(db)': "), "\(result.stderr)")
        #expect(result.stderr.contains("CURRENT"), "\(result.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: db) == ["CURRENT"])
    }

    @Test
    func getOfAMissingKeyIsANegativeAnswer() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.path("db")
        #expect(try civicStore(["put", "--db", db, "present", "v"]).status == 0)
        let result = try civicStore(["get", "--db", db, "absent"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "civic-store: error: no value for absent in column family 'default'\n")
    }

    @Test
    func helpExitsZero() throws {
        let help = try civicStore(["--help"])
        #expect(help.status == 0)
        #expect(!help.stdout.contains("crash"), "the crash writer is not an operator command")
        let subcommandHelp = try civicStore(["scan", "--help"])
        #expect(subcommandHelp.status == 0)
        #expect(subcommandHelp.stdout.contains("--prefix"))
    }

    @Test
    func crashWriterSaysWhatItIsFor() throws {
        let help = try runExecutable("store-crash-writer", ["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("crash tests"))
        #expect(help.stdout.contains("not an operator tool"))

        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let refused = try runExecutable("store-crash-writer", ["--db", directory.path("db"), "--count", "0"])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("store-crash-writer: error: --count must be in"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("db")))
    }
}

// MARK: - Helpers

private func padded(_ index: Int) -> String {
    let digits = String(index)
    return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}

/// Parses scan lines "<prefix><8 digits>\tv<8 digits>" into batch indices,
/// checking each value matches its key.
private func batchIndices(_ lines: [String], keyPrefix: String) throws -> [Int] {
    try lines.map { line in
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
        guard fields.count == 2, fields[0].hasPrefix(keyPrefix),
              let index = Int(fields[0].dropFirst(keyPrefix.count)),
              fields[1] == "v" + padded(index)
        else {
            throw TestFailure("unexpected scan line '\(line)'")
        }
        return index
    }
}

private func civicStore(_ arguments: [String]) throws -> CommandResult {
    try runExecutable("civic-store", arguments)
}

/// The running `store-crash-writer`, whose standard output is read live so
/// the test knows which batches were acknowledged before it kills it.
/// Standard error goes to a file, read only to explain a failure.
private final class CrashWriter {
    let process = Process()
    private let stdout = Pipe()
    private let stderrPath: String
    private let exited = DispatchSemaphore(value: 0)

    init(arguments: [String], stderrIn directory: TemporaryDirectory) throws {
        stderrPath = directory.path("crash-writer.stderr")
        process.executableURL = try Executables.url(named: "store-crash-writer")
        process.arguments = arguments
        process.standardOutput = stdout
        process.standardError = try directory.newFile("crash-writer.stderr")
        let exited = exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
    }

    deinit {
        if process.isRunning { kill() }
        try? stdout.fileHandleForReading.close()
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
    }

    func waitForExit(patience: Duration) throws {
        guard exited.wait(timeout: .now() + Double(patience.components.seconds)) == .success else {
            kill()
            throw TestFailure("store-crash-writer did not exit within \(patience)")
        }
    }

    /// Reads "acked <i>" lines, which must count up from 0, until at least
    /// `count` have arrived; returns the highest index acknowledged so far.
    func readAcknowledgements(atLeast count: Int, patience: Duration) throws -> Int {
        let descriptor = stdout.fileHandleForReading.fileDescriptor
        let deadline = ContinuousClock.now + patience
        var highest = -1
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while highest + 1 < count {
            guard ContinuousClock.now < deadline else {
                throw TestFailure("store-crash-writer acknowledged only \(highest + 1) of \(count) batches within \(patience)")
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 1_000)
            if ready < 0 && errno != EINTR { throw TestFailure("poll failed: errno \(errno)") }
            guard ready > 0 else { continue }
            let received = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if received < 0 && errno == EINTR { continue }
            guard received > 0 else {
                let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
                throw TestFailure("store-crash-writer stopped after \(highest + 1) acknowledgements: \(stderr)")
            }
            pending.append(contentsOf: buffer[0..<received])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                guard line == "acked \(highest + 1)" else {
                    throw TestFailure("unexpected store-crash-writer output '\(line)' after \(highest + 1) acknowledgements")
                }
                highest += 1
            }
        }
        return highest
    }
}
