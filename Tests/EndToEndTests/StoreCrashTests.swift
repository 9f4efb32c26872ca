import Foundation
import Testing

/// Drives the real `civic-store` binary: a writer killed with SIGKILL must
/// lose no acknowledged batch and tear none, and the store must reopen.
@Suite("civic-store crash safety")
struct StoreCrashTests {
    /// How long a child may take before the test gives up on it. A bound so
    /// a hung child fails the test instead of hanging it; not a measurement.
    static let patience: Duration = .seconds(120)

    @Test
    func sigkilledWriterKeepsEveryAcknowledgedBatchWhole() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.path("db")

        let writer = try StoreProcess(arguments: ["crash-writer", "--db", db, "--count", "10000"], streaming: true)
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

    @Test(arguments: [
        ["get", "--db", "DB", "--cf", "Not-Valid", "k"],
        ["get", "--db", "DB", "--cf", "absent", "k"],
        ["get", "--db", "MISSING", "k"],
        ["put", "--db", "DB", "--hex", "abc", "00"],
        ["scan", "--db", "DB", "--limit", "0"],
        ["put", "--db", "DB", "only-a-key"],
        ["no-such-command"],
        ["crash-writer", "--db", "DB", "--count", "0"],
    ])
    func refusalsAreOneLineWithStatusTwo(_ arguments: [String]) throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = directory.path("db")
        let created = try civicStore(["put", "--db", db, "k", "v"])
        #expect(created.status == 0, "\(created.stderr)")

        let resolved = arguments.map { $0 == "DB" ? db : $0 == "MISSING" ? directory.path("missing") : $0 }
        let result = try civicStore(resolved)
        #expect(result.status == 2, "\(resolved) exited \(result.status): \(result.stderr)")
        #expect(result.stdout.isEmpty)
        let errorLines = result.stderr.split(separator: "\n")
        #expect(errorLines.count == 1, "\(result.stderr)")
        #expect(result.stderr.hasPrefix("civic-store: error: "), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("missing")))
    }

    @Test
    func helpExitsZero() throws {
        let help = try civicStore(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("crash-writer"))
        let subcommandHelp = try civicStore(["scan", "--help"])
        #expect(subcommandHelp.status == 0)
        #expect(subcommandHelp.stdout.contains("--prefix"))
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

/// Runs `civic-store` to completion. Output goes to files, not pipes, so a
/// chatty child can never block on a full pipe.
private func civicStore(_ arguments: [String]) throws -> CommandResult {
    let child = try StoreProcess(arguments: arguments, streaming: false)
    try child.waitForExit(patience: StoreCrashTests.patience)
    return CommandResult(
        status: child.process.terminationStatus,
        stdout: child.capturedStdout(),
        stderr: child.capturedStderr())
}

/// One `civic-store` child process.
private final class StoreProcess {
    let process = Process()
    private let outputDirectory: TemporaryDirectory
    private let stdoutPipe: Pipe?
    private let exited = DispatchSemaphore(value: 0)
    private var pending: [UInt8] = []

    init(arguments: [String], streaming: Bool) throws {
        outputDirectory = try TemporaryDirectory()
        process.executableURL = try Executables.url(named: "civic-store")
        process.arguments = arguments
        process.standardError = try outputDirectory.newFile("stderr")
        if streaming {
            let pipe = Pipe()
            stdoutPipe = pipe
            process.standardOutput = pipe
        } else {
            stdoutPipe = nil
            process.standardOutput = try outputDirectory.newFile("stdout")
        }
        let exited = exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
    }

    deinit {
        if process.isRunning {
            Foundation.kill(process.processIdentifier, SIGKILL)
        }
        try? stdoutPipe?.fileHandleForReading.close()
        outputDirectory.remove()
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
    }

    func waitForExit(patience: Duration) throws {
        let seconds = Double(patience.components.seconds)
        guard exited.wait(timeout: .now() + seconds) == .success else {
            kill()
            throw TestFailure("civic-store \(process.arguments ?? []) did not exit within \(patience)")
        }
    }

    func capturedStdout() -> String { captured("stdout") }
    func capturedStderr() -> String { captured("stderr") }

    private func captured(_ name: String) -> String {
        (try? String(contentsOfFile: outputDirectory.path(name), encoding: .utf8)) ?? ""
    }

    /// Reads "acked <i>" lines until at least `count` have arrived; returns
    /// the highest index acknowledged so far.
    func readAcknowledgements(atLeast count: Int, patience: Duration) throws -> Int {
        guard let descriptor = stdoutPipe?.fileHandleForReading.fileDescriptor else {
            throw TestFailure("the child's output is not streamed")
        }
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        var highest = -1
        var buffer = [UInt8](repeating: 0, count: 4096)
        while highest + 1 < count {
            guard clock.now < deadline else {
                throw TestFailure("crash-writer acknowledged only \(highest + 1) of \(count) batches within \(patience)")
            }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 1_000)
            if ready < 0 && errno == EINTR { continue }
            guard ready >= 0 else { throw TestFailure("poll failed: errno \(errno)") }
            guard ready > 0 else { continue }
            let received = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if received < 0 && errno == EINTR { continue }
            guard received > 0 else {
                throw TestFailure("crash-writer stopped after \(highest + 1) acknowledgements: \(capturedStderr())")
            }
            pending.append(contentsOf: buffer[0..<received])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: pending[..<newline], as: UTF8.self)
                pending.removeSubrange(...newline)
                guard line.hasPrefix("acked "), let index = Int(line.dropFirst("acked ".count)), index == highest + 1 else {
                    throw TestFailure("unexpected crash-writer output '\(line)' after \(highest + 1) acknowledgements")
                }
                highest = index
            }
        }
        return highest
    }
}
