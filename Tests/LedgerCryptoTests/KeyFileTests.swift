import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTesting
import Testing

/// Runs `body` in a fresh directory that is removed afterwards.
func withTempDir<T>(_ body: (String) throws -> T) throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("civic-keys-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try body(dir)
}

@Suite("Key files")
struct KeyFileTests {
    @Test("Save then load gives the same key, file mode 0600", arguments: SuiteID.allCases)
    func roundTrip(id: SuiteID) throws {
        try withTempDir { dir in
            let suite = CryptoSuites.suite(id)
            let key = try suite.generatePrivateKey()
            let path = dir + "/k.pem"
            try KeyFile.write(key, to: path)
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let loaded = try KeyFile.load(from: path, expecting: id)
            #expect(loaded.publicKey == key.publicKey)
            #expect(KeyFile.pem(for: loaded) == KeyFile.pem(for: key))
            #expect(try KeyFile.load(from: path).suite == id)
        }
    }

    @Test("Loading a key of the wrong suite is a clear error", arguments: SuiteID.allCases)
    func wrongSuite(id: SuiteID) throws {
        try withTempDir { dir in
            let path = dir + "/k.pem"
            try KeyFile.write(try CryptoSuites.suite(id).generatePrivateKey(), to: path)
            let other: SuiteID = id == .standard ? .guomi : .standard
            #expect(throws: CryptoError.wrongSuite(expected: other, found: id)) {
                try KeyFile.load(from: path, expecting: other)
            }
        }
    }

    @Test("An existing file is not overwritten unless asked")
    func noOverwrite() throws {
        try withTempDir { dir in
            let path = dir + "/k.pem"
            let first = try CryptoSuites.standard.generatePrivateKey()
            try KeyFile.write(first, to: path)
            #expect(throws: CryptoError.self) { try KeyFile.write(try CryptoSuites.standard.generatePrivateKey(), to: path) }
            #expect(try KeyFile.load(from: path).publicKey == first.publicKey)
            let second = try CryptoSuites.standard.generatePrivateKey()
            try KeyFile.write(second, to: path, overwrite: true)
            #expect(try KeyFile.load(from: path).publicKey == second.publicKey)
        }
    }

    @Test("A key file readable by others is refused")
    func openPermissions() throws {
        try withTempDir { dir in
            let path = dir + "/k.pem"
            try KeyFile.write(try CryptoSuites.guomi.generatePrivateKey(), to: path)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
            #expect(throws: CryptoError.keyFile(path: path, problem: .permissionsTooOpen(mode: 0o644))) {
                try KeyFile.load(from: path)
            }
        }
    }

    @Test("Garbage, other PEM types and tampered public keys are refused")
    func malformed() throws {
        let key = try CryptoSuites.standard.privateKey(rawScalar: hex("0000000000000000000000000000000000000000000000000000000000000001"))
        let pem = KeyFile.pem(for: key)
        #expect(pem.hasPrefix("-----BEGIN \(KeyFile.pemLabel)-----\n"))
        #expect(try KeyFile.parse(pem: pem).publicKey == key.publicKey)
        #expect(throws: CryptoError.self) { try KeyFile.parse(pem: "hello") }
        #expect(throws: CryptoError.self) {
            try KeyFile.parse(pem: pem.replacingOccurrences(of: KeyFile.pemLabel, with: "CERTIFICATE"))
        }
        // Change one base64 character inside the embedded public point (near the end).
        var lines = pem.split(separator: "\n").map(String.init)
        let target = lines.count - 2
        var chars = Array(lines[target])
        chars[chars.count / 2] = chars[chars.count / 2] == "A" ? "B" : "A"
        lines[target] = String(chars)
        #expect(throws: CryptoError.self) { try KeyFile.parse(pem: lines.joined(separator: "\n")) }
    }
}

@Suite("Key files: hostile paths and interoperability")
struct KeyFileHostileTests {
    func problem(of body: () throws -> Void) -> KeyFileProblem? {
        do {
            try body()
            return nil
        } catch CryptoError.keyFile(_, let problem) {
            return problem
        } catch {
            return nil
        }
    }

    @Test("Writing never follows or replaces a symlink at the path; nothing is left behind on refusal")
    func symlink() throws {
        try withTempDir { dir in
            let target = dir + "/target"
            #expect(FileManager.default.createFile(atPath: target, contents: Data("keep".utf8)))
            let link = dir + "/k.pem"
            try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
            let key = try CryptoSuites.standard.generatePrivateKey()
            #expect(problem(of: { try KeyFile.write(key, to: link) }) == .alreadyExists)
            #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["k.pem", "target"])
        }
    }

    @Test("A FIFO at the key path is refused without hanging")
    func fifo() throws {
        try withTempDir { dir in
            let path = dir + "/fifo.pem"
            #expect(mkfifo(path, 0o600) == 0)
            #expect(problem(of: { _ = try KeyFile.load(from: path) }) == .notRegularFile)
        }
    }

    @Test("Oversized files and corrupt DER inside valid PEM are refused")
    func corrupt() throws {
        try withTempDir { dir in
            let big = dir + "/big.pem"
            #expect(FileManager.default.createFile(atPath: big, contents: Data(repeating: 0x41, count: 20_000),
                                                   attributes: [.posixPermissions: 0o600]))
            #expect(problem(of: { _ = try KeyFile.load(from: big) }) == .tooLarge(bytes: 20_000, limit: 16 * 1024))

            // Valid armour around 3 bytes of DER that are no key at all.
            let bad = "-----BEGIN \(KeyFile.pemLabel)-----\nMAMCAQA=\n-----END \(KeyFile.pemLabel)-----\n"
            guard case .malformed(let detail)? = problem(of: { _ = try KeyFile.parse(pem: bad) }) else {
                Issue.record("corrupt DER was not reported as malformed")
                return
            }
            #expect(!detail.contains(".swift:"), "internal source locations leak into the message: \(detail)")
        }
    }

    @Test("A key file owned by another user is refused", .enabled(if: geteuid() == 0, "needs root to chown"))
    func wrongOwner() throws {
        try withTempDir { dir in
            let path = dir + "/k.pem"
            try KeyFile.write(try CryptoSuites.guomi.generatePrivateKey(), to: path)
            #expect(chown(path, 65534, 65534) == 0)
            #expect(problem(of: { _ = try KeyFile.load(from: path) }) == .wrongOwner(owner: 65534, expected: 0))
        }
    }

    @Test("Printing a private key never shows its scalar")
    func redaction() throws {
        let key = try CryptoSuites.standard.privateKey(rawScalar: hex("00000000000000000000000000000000000000000000000000000000000000ab"))
        var dumped = ""
        dump(key, to: &dumped)
        for text in ["\(key)", String(reflecting: key), dumped] {
            #expect(!text.contains("0, 0, 0"), "\(text)")
            #expect(!text.contains("scalar:"), "\(text)")
            #expect(text.contains(key.publicKey.hex) || text.contains("publicKey"))
        }
    }

    static let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first { FileManager.default.isExecutableFile(atPath: $0) }

    func runOpenSSL(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.openssl!)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    @Test("openssl reads our keys and we read openssl's", .enabled(if: openssl != nil, "openssl CLI not installed"),
          arguments: SuiteID.allCases)
    func opensslInterop(suite: SuiteID) throws {
        try withTempDir { dir in
            let ours = dir + "/ours.pem"
            let key = try CryptoSuites.suite(suite).generatePrivateKey()
            try KeyFile.write(key, to: ours)
            let shown = try runOpenSSL(["pkey", "-in", ours, "-noout", "-text"])
            #expect(shown.status == 0, "\(shown.output)")
            #expect(shown.output.contains(suite == .standard ? "secp256k1" : "SM2"))

            let theirs = dir + "/theirs.pem"
            let generated = suite == .standard
                ? try runOpenSSL(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", theirs])
                : try runOpenSSL(["genpkey", "-algorithm", "SM2", "-out", theirs])
            #expect(generated.status == 0, "\(generated.output)")
            #expect(chmod(theirs, 0o600) == 0)
            #expect(try KeyFile.load(from: theirs, expecting: suite).suite == suite)
        }
    }
}
