import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTesting
import Testing

@Suite("Key files")
struct KeyFileTests {
    func withTempDir<T>(_ body: (String) throws -> T) throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("civic-keys-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        return try body(dir)
    }

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
            #expect(loaded.rawScalar == key.rawScalar)
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
            #expect {
                try KeyFile.load(from: path)
            } throws: { error in
                "\(error)".contains("too open")
            }
        }
    }

    @Test("Garbage, other PEM types and tampered public keys are refused")
    func malformed() throws {
        let key = try CryptoSuites.standard.privateKey(rawScalar: hex("0000000000000000000000000000000000000000000000000000000000000001"))
        let pem = KeyFile.pem(for: key)
        #expect(pem.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        #expect(try KeyFile.parse(pem: pem).publicKey == key.publicKey)
        #expect(throws: CryptoError.self) { try KeyFile.parse(pem: "hello") }
        #expect(throws: CryptoError.self) {
            try KeyFile.parse(pem: pem.replacingOccurrences(of: "PRIVATE KEY", with: "CERTIFICATE"))
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
