import ArgumentParser
import CLISupport
import LedgerCore
import LedgerCrypto

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a document signature made by `civic sign`.",
        discussion: """
            Prints `valid` (exit 0) or `invalid` (exit 1). Malformed hex, an unknown
            public key encoding or an unreadable file is an input error (exit 2).
            The public key may be SEC1 compressed (33 bytes) or uncompressed (65 bytes).
            """
    )

    @Option(help: "Crypto suite the signature was made with: standard or guomi.")
    var suite: SuiteID

    @Option(help: "The signer's public key, hex (33 or 65 bytes).")
    var publicKey: String

    @Option(help: "The signature, hex.")
    var signature: String

    @Argument(help: "The signed document, or - for standard input.")
    var messageFile: String

    func run() throws {
        let crypto = CryptoSuites.suite(suite)
        let keyBytes = try decodeHex(publicKey, option: "--public-key")
        let signatureBytes = try decodeHex(signature, option: "--signature")
        let key: PublicKey
        do {
            key = try crypto.publicKey(sec1: keyBytes)
        } catch {
            throw CLIFailure.input("--public-key: \(error.description)")
        }
        let digest = try InputFile.digest(messageFile, suite: crypto)
        let message = DocumentSignature.message(forDocumentDigest: digest)
        guard crypto.verify(signature: signatureBytes, for: message, publicKey: key) else {
            print("invalid")
            throw CLIFailure.negative(nil)
        }
        print("valid")
    }
}
