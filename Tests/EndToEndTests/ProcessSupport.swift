import Foundation

// Shared by the end-to-end suites: scratch directories and captured results
// of child processes.

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("civic-store-e2e-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }

    func newFile(_ name: String) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: path(name), contents: nil) else {
            throw TestFailure("cannot create \(path(name))")
        }
        return try FileHandle(forWritingTo: url.appendingPathComponent(name))
    }
}

struct CommandResult {
    let status: Int32
    let stdout: String
    let stderr: String

    var lines: [String] { stdout.split(separator: "\n").map(String.init) }
}

/// Runs a built executable to completion with optional standard input. Output
/// goes to files, not pipes, so a chatty child can never block on a full pipe.
func runExecutable(
    _ name: String, _ arguments: [String], stdin: [UInt8]? = nil, workingDirectory: URL? = nil
) throws -> CommandResult {
    let scratch = try TemporaryDirectory()
    defer { scratch.remove() }
    let process = Process()
    process.executableURL = try Executables.url(named: name)
    process.arguments = arguments
    if let workingDirectory { process.currentDirectoryURL = workingDirectory }
    let stdoutFile = try scratch.newFile("stdout")
    let stderrFile = try scratch.newFile("stderr")
    process.standardOutput = stdoutFile
    process.standardError = stderrFile
    let inputPipe = Pipe()
    process.standardInput = inputPipe
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    if let stdin {
        try inputPipe.fileHandleForWriting.write(contentsOf: Data(stdin))
    }
    try inputPipe.fileHandleForWriting.close()
    // Generous: a hung child fails the test with a message instead of hanging CI.
    guard exited.wait(timeout: .now() + 120) == .success else {
        kill(process.processIdentifier, SIGKILL)
        throw TestFailure("\(name) \(arguments.joined(separator: " ")) did not exit within 120 s")
    }
    try stdoutFile.close()
    try stderrFile.close()
    let read = { (file: String) in
        (try? String(contentsOfFile: scratch.path(file), encoding: .utf8)) ?? ""
    }
    return CommandResult(status: process.terminationStatus, stdout: read("stdout"), stderr: read("stderr"))
}

/// `runExecutable` on a thread of its own: waiting for the child there keeps
/// Swift Testing's cooperative pool (two threads on a 2-core machine) free
/// for the tests that need it meanwhile, such as a node's or a proxy's
/// connection setup. Blocking the pool with such waits starved those before.
func runExecutableOffPool(
    _ name: String, _ arguments: [String], stdin: [UInt8]? = nil, workingDirectory: URL? = nil
) async throws -> CommandResult {
    try await withCheckedThrowingContinuation { continuation in
        Thread {
            continuation.resume(with: Result { try runExecutable(name, arguments, stdin: stdin, workingDirectory: workingDirectory) })
        }.start()
    }
}
