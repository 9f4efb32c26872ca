import ArgumentParser
import CLISupport
import LedgerCore
import LedgerCrypto

struct SignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sign",
        abstract: "Sign a document with a key file; prints the signature in hex.",
        discussion: """
            The suite comes from the key file. What is signed is
            DER SEQUENCE { "civicledger/document/v1", H(document) }, so a document
            signature can never be replayed as a transaction signature.
            Output: 64-byte compact r‖s (standard) or a DER signature (guomi).
            """
    )

    @Option(help: "The signer's private key file.")
    var key: String

    @Argument(help: "The document to sign, or - for standard input.")
    var messageFile: String

    func run() throws {
        let privateKey: PrivateKey
        do {
            privateKey = try KeyFile.load(from: key)
        } catch {
            throw CLIFailure.input(error.description)
        }
        let suite = CryptoSuites.suite(privateKey.suite)
        let digest = try InputFile.digest(messageFile, suite: suite)
        do {
            let signature = try suite.sign(DocumentSignature.message(forDocumentDigest: digest), with: privateKey)
            print(Hex.encode(signature))
        } catch {
            throw CLIFailure.input(error.description)
        }
    }
}
