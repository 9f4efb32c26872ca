import ArgumentParser
import CLISupport
import Foundation
import LedgerCore
import LedgerCrypto

struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Create and inspect key files (密钥).",
        discussion: """
            Key files are PEM "PRIVATE KEY" (PKCS#8 holding an RFC 5915 EC key, curve
            secp256k1 or SM2), readable by `openssl pkey`. They are created with mode 0600
            and refused if group or others can read them. Never commit them.
            """,
        subcommands: [New.self, Show.self]
    )

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Generate a new private key file.")

        @Option(help: "Crypto suite: standard (secp256k1) or guomi (SM2).")
        var suite: SuiteID

        @Option(help: "Where to write the key file (created with mode 0600).")
        var out: String

        @Flag(help: "Replace an existing file at --out.")
        var force = false

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() throws {
            let crypto = CryptoSuites.suite(suite)
            do {
                let key = try crypto.generatePrivateKey()
                try KeyFile.write(key, to: out, overwrite: force)
                try KeyReport(key: key, suite: crypto, path: out).print(json: json)
            } catch let error as CryptoError {
                if case .keyFile(_, .alreadyExists) = error {
                    throw CLIFailure.input("\(out) already exists; use --force to replace it")
                }
                throw CLIFailure.input(error.description)
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a key file's suite, public key (SEC1 compressed, hex) and address.")

        @Argument(help: "The key file.")
        var file: String

        @Flag(help: "Print JSON instead of text.")
        var json = false

        func run() throws {
            do {
                let key = try KeyFile.load(from: file)
                try KeyReport(key: key, suite: CryptoSuites.suite(key.suite), path: file).print(json: json)
            } catch let error as CryptoError {
                throw CLIFailure.input(error.description)
            }
        }
    }
}

/// The public facts of a key; the private scalar is never printed.
struct KeyReport: Encodable {
    var suite: String
    var publicKey: String
    var address: String
    var file: String

    init(key: PrivateKey, suite: any CryptoSuite, path: String) {
        self.suite = key.suite.rawValue
        self.publicKey = key.publicKey.hex
        self.address = suite.address(of: key.publicKey).hex
        self.file = path
    }

    func print(json: Bool) throws {
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Swift.print(String(decoding: try encoder.encode(self), as: UTF8.self))
        } else {
            let id = SuiteID(rawValue: suite)!
            Swift.print("""
                file:        \(file)
                suite:       \(id.longName)
                public key:  \(publicKey)
                address:     \(address)
                """)
        }
    }
}
