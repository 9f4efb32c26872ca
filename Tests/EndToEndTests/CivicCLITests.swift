import Foundation
import LedgerCrypto
import Testing

/// The `civic` binary as a user runs it: output, exit codes, one-line errors.
@Suite("civic CLI")
struct CivicCLITests {
    func civic(_ arguments: String..., stdin: String? = nil, in directory: TemporaryDirectory? = nil) async throws -> CommandResult {
        try await runExecutableOffPool("civic", arguments, stdin: stdin.map { Array($0.utf8) }, workingDirectory: directory?.url)
    }

    /// Errors are exactly one line on stderr, prefixed, with exit status 2.
    func expectInputError(_ result: CommandResult, mentioning fragment: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2, "status \(result.status), stderr: \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr was: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("civic: error: "), sourceLocation: sourceLocation)
        #expect(result.stderr.contains(fragment), "stderr was: \(result.stderr)", sourceLocation: sourceLocation)
    }

    @Test("digest of stdin gives the published SM3 and SHA-256 values for abc")
    func digestAcceptance() async throws {
        let sm3 = try await civic("digest", "--suite", "guomi", "-", stdin: "abc")
        #expect(sm3.status == 0)
        #expect(sm3.stdout == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0\n")
        let sha = try await civic("digest", "--suite", "standard", "-", stdin: "abc")
        #expect(sha.stdout == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n")
        #expect(try await civic("digest", "-", stdin: "abc").stdout == sha.stdout)
    }

    @Test("digest of a file larger than one read chunk equals the library's")
    func digestFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let content = [UInt8]((0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try Data(content).write(to: dir.url.appendingPathComponent("doc.bin"))
        for id in SuiteID.allCases {
            let result = try await civic("digest", "--suite", id.rawValue, dir.path("doc.bin"))
            #expect(result.stdout == CryptoSuites.suite(id).digest(content).hex + "\n")
        }
    }

    @Test("sign then verify: valid; modified message or signature: invalid, exit 1", arguments: SuiteID.allCases)
    func signVerify(suite: SuiteID) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let keyPath = dir.path("\(suite).pem")
        let created = try await civic("keys", "new", "--suite", suite.rawValue, "--out", keyPath, "--json")
        #expect(created.status == 0, "\(created.stderr)")
        let attributes = try FileManager.default.attributesOfItem(atPath: keyPath)
        #expect(attributes[.posixPermissions] as? Int == 0o600)

        let shown = try await civic("keys", "show", keyPath, "--json")
        let report = try JSONDecoder().decode([String: String].self, from: Data(shown.stdout.utf8))
        #expect(report["suite"] == suite.rawValue)
        #expect(created.stdout == shown.stdout)
        let publicKey = try #require(report["publicKey"])
        #expect(publicKey.count == 66)

        let document = dir.path("licence.txt")
        try "营业执照 91310000MA1FL0000X".write(toFile: document, atomically: true, encoding: .utf8)
        let signed = try await civic("sign", "--key", keyPath, document)
        #expect(signed.status == 0, "\(signed.stderr)")
        let signature = signed.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(suite == .standard ? signature.count == 128 : signature.hasPrefix("30"))

        let valid = try await civic("verify", "--suite", suite.rawValue, "--public-key", publicKey, "--signature", signature, document)
        #expect(valid.status == 0 && valid.stdout == "valid\n", "\(valid.stderr)")

        // The uncompressed (65-byte) form of the same key is accepted too.
        let key = try CryptoSuites.suite(suite).publicKey(hex: publicKey)
        let uncompressed = key.uncompressed.map { String(format: "%02x", $0) }.joined()
        let viaUncompressed = try await civic(
            "verify", "--suite", suite.rawValue, "--public-key", uncompressed, "--signature", signature, document)
        #expect(viaUncompressed.status == 0)

        let tampered = dir.path("tampered.txt")
        try "营业执照 91310000MA1FL0000Y".write(toFile: tampered, atomically: true, encoding: .utf8)
        let wrongMessage = try await civic("verify", "--suite", suite.rawValue, "--public-key", publicKey, "--signature", signature, tampered)
        #expect(wrongMessage.status == 1 && wrongMessage.stdout == "invalid\n")

        var flipped = Array(signature)
        flipped[flipped.count - 1] = flipped.last == "0" ? "1" : "0"
        let wrongSignature = try await civic(
            "verify", "--suite", suite.rawValue, "--public-key", publicKey, "--signature", String(flipped), document)
        #expect(wrongSignature.status == 1 && wrongSignature.stdout == "invalid\n")

        let otherSuite = suite == .standard ? "guomi" : "standard"
        let crossSuite = try await civic("verify", "--suite", otherSuite, "--public-key", publicKey, "--signature", signature, document)
        #expect(crossSuite.status != 0)
    }

    @Test("garbage hex, bad keys and bad arguments: one line on stderr, exit 2")
    func inputErrors() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let document = dir.path("doc.txt")
        try "text".write(toFile: document, atomically: true, encoding: .utf8)
        let g = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"

        expectInputError(try await civic("verify", "--suite", "standard", "--public-key", g, "--signature", "zz", document),
                         mentioning: "--signature is not hexadecimal")
        expectInputError(try await civic("verify", "--suite", "standard", "--public-key", "xyz", "--signature", "00", document),
                         mentioning: "--public-key is not hexadecimal")
        expectInputError(try await civic("verify", "--suite", "standard", "--public-key", "0200", "--signature", "00", document),
                         mentioning: "expected 33 (compressed) or 65 (uncompressed)")
        expectInputError(try await civic("verify", "--suite", "standard", "--public-key", g, "--signature", "00", dir.path("missing")),
                         mentioning: "cannot open")
        expectInputError(try await civic("digest", "--suite", "sha1", document), mentioning: "'sha1' is invalid")
        expectInputError(try await civic("digest", dir.path("nope")), mentioning: "No such file")
        expectInputError(try await civic("frobnicate"), mentioning: "frobnicate")
        expectInputError(try await civic("sign", document), mentioning: "--key")
        let garbageKey = dir.path("garbage.pem")
        #expect(FileManager.default.createFile(
            atPath: garbageKey, contents: Data("not a key".utf8), attributes: [.posixPermissions: 0o600]))
        expectInputError(try await civic("keys", "show", garbageKey), mentioning: "not a PEM document")
    }

    @Test("key files: no silent overwrite, open permissions refused, wrong suite named")
    func keyFileErrors() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let keyPath = dir.path("k.pem")
        #expect(try await civic("keys", "new", "--suite", "guomi", "--out", keyPath).status == 0)
        expectInputError(try await civic("keys", "new", "--suite", "guomi", "--out", keyPath), mentioning: "--force")
        #expect(try await civic("keys", "new", "--suite", "standard", "--out", keyPath, "--force").status == 0)
        #expect(try await civic("keys", "show", keyPath).stdout.contains("standard"))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: keyPath)
        expectInputError(try await civic("keys", "show", keyPath), mentioning: "too open")
    }

    @Test("help exits 0 and names the exit codes and suites")
    func help() async throws {
        let result = try await civic("--help")
        #expect(result.status == 0)
        #expect(result.stdout.contains("Exit codes"))
        #expect(result.stdout.contains("guomi"))
        #expect(try await civic("keys", "new", "--help").status == 0)
    }
}
