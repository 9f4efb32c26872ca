import ArgumentParser
import LedgerCrypto

struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Print the hex digest (摘要) of a document.",
        discussion: """
            Counter staff (窗口) use this to compare a presented document with the digest
            kept on the ledger. The chain keeps only digests, never document content.
            Example:  printf abc | civic digest --suite guomi -
            """
    )

    @Option(help: "Crypto suite: standard (SHA-256) or guomi (SM3).")
    var suite: SuiteID = .standard

    @Argument(help: "The document file, or - for standard input.")
    var file: String

    func run() throws {
        print(try InputFile.digest(file, suite: CryptoSuites.suite(suite)).hex)
    }
}
