import Foundation
import Testing

/// Runs the real `civic` binary against a `DevnetHarness`'s node 1, with keys
/// and documents in the harness's scratch folder.
struct CivicCLI {
    let net: DevnetHarness

    var node: String { "http://127.0.0.1:\(net.apiPortBase)" }

    func scratch(_ name: String) -> String { net.directory.path(name) }
    func key(_ name: String) -> String { scratch("\(name).key") }

    /// The admin key of a devnet bureau (gsdmb, psb, samr, tax).
    func admin(_ bureau: String) -> String {
        let index = net.genesis.bureaus.firstIndex { $0.id.description == bureau }!
        return net.path(index + 1, "admin.key")
    }

    func newKey(_ name: String) async throws {
        let made = try await runExecutableOffPool("civic", ["keys", "new", "--suite", "standard", "--out", key(name)])
        guard made.status == 0 else { throw TestFailure("civic keys new: \(made.stderr)") }
    }

    /// A key's public half in hex, as `civic keys show` prints it: what a bureau
    /// or counter is given, never the private key file.
    func publicKey(_ name: String) async throws -> String {
        let shown = try await runExecutableOffPool("civic", ["keys", "show", key(name), "--json"])
        guard shown.status == 0, let object = try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any],
              let hex = object["publicKey"] as? String else { throw TestFailure("civic keys show: \(shown.stderr)") }
        return hex
    }

    func document(_ name: String, _ text: String) throws -> String {
        try text.write(toFile: scratch(name), atomically: true, encoding: .utf8)
        return scratch(name)
    }

    func run(_ arguments: [String], addNode: Bool = true, stdin: String? = nil) async throws -> CommandResult {
        try await runExecutableOffPool("civic", arguments + (addNode ? ["--node", node, "--wait", "90"] : []), stdin: stdin.map { Array($0.utf8) })
    }

    func json(_ arguments: [String], stdin: String? = nil) async throws -> [String: Any] {
        let result = try await run(arguments + ["--json"], stdin: stdin)
        guard result.status == 0 else {
            throw TestFailure("civic \(arguments.prefix(2).joined(separator: " ")) exited \(result.status): \(result.stderr)\(result.stdout)")
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw TestFailure("not a JSON object: \(result.stdout)")
        }
        return object
    }

    func jsonArray(_ arguments: [String]) async throws -> [[String: Any]] {
        let result = try await run(arguments + ["--json"])
        guard result.status == 0, let array = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] else {
            throw TestFailure("civic \(arguments.prefix(2).joined(separator: " ")) exited \(result.status): \(result.stderr)\(result.stdout)")
        }
        return array
    }

    struct Committed {
        let txid: String
        let height: Int
        let details: [String: String]
    }

    /// A writing command that must commit and be accepted.
    @discardableResult
    func commit(_ arguments: [String], stdin: String? = nil) async throws -> Committed {
        let object = try await json(arguments, stdin: stdin)
        guard object["accepted"] as? Bool == true, let txid = object["txid"] as? String, let height = object["height"] as? Int else {
            throw TestFailure("civic \(arguments.prefix(2).joined(separator: " ")): not accepted: \(object)")
        }
        return Committed(txid: txid, height: height, details: object["details"] as? [String: String] ?? [:])
    }

    /// Exit status 1 with one line on stderr naming `code` (stdout may hold
    /// the receipt as JSON, which must name it too when present).
    func refused(_ arguments: [String], code: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let result = try await run(arguments)
        #expect(result.status == 1, "civic \(arguments.prefix(2).joined(separator: " ")) exited \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("civic: error: REFUSED") && lines[0].contains(code),
                "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    }

    /// `counter verify` refused: status 1, the JSON verdict says REFUSED and names `code`.
    func refusedVerify(_ arguments: [String], code: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let result = try await run(["counter", "verify"] + arguments + ["--json"])
        #expect(result.status == 1, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let line = object?["result"] as? String ?? ""
        #expect(line.hasPrefix("REFUSED: ") && line.contains(code), "result: \(line) \(result.stderr)", sourceLocation: sourceLocation)
        #expect(object?["verified"] as? Bool == false, sourceLocation: sourceLocation)
    }

    func expectStatus(
        _ status: Int32, _ arguments: [String], mentions text: String, addNode: Bool = true,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let result = try await run(arguments, addNode: addNode)
        #expect(result.status == status, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("civic: error: ") && lines[0].contains(text), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
    }
}
