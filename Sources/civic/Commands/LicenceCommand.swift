import ArgumentParser
import CLISupport
import CivicClient
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPIModel

struct LicenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "licence",
        abstract: "Issue and manage e-licences (电子证照) — for bureau operators.",
        discussion: """
            The chain keeps a licence's type, issuer, holder key, a commitment to the
            holder's id number, the document's digest, its validity window and its
            status — never the document or any personal data. Writes are signed with
            the bureau's admin key (--key) and need the bureau to be authorised for
            the licence type in genesis.
            """,
        subcommands: [Issue.self, Show.self, List.self, Suspend.self, Reinstate.self, Revoke.self, Supersede.self]
    )

    /// The fields of a new licence, shared by `issue` and `supersede`.
    struct Terms: ParsableArguments {
        @Option(help: ArgumentHelp("The document file (证照文件); only its digest goes on chain.", valueName: "FILE"))
        var document: String

        @Option(help: ArgumentHelp("Valid from: 2026-01-31, 2026-01-31T09:00 or Unix millis (default: now).", valueName: "TIME"))
        var validFrom: String?

        @Option(help: ArgumentHelp("Valid until (exclusive), same forms as --valid-from.", valueName: "TIME"))
        var validUntil: String?

        @Flag(help: "The licence never expires (长期有效).")
        var longTerm = false

        func window() throws(CLIFailure) -> (from: UInt64, until: UInt64) {
            let from = try validFrom.map { text throws(CLIFailure) in try Arguments.time(text, option: "--valid-from") }
                ?? UInt64(Date().timeIntervalSince1970 * 1000)
            switch (validUntil, longTerm) {
            case (nil, true): return (from, LicenceIssue.longTerm)
            case let (text?, false):
                let until = try Arguments.time(text, option: "--valid-until")
                guard until > from else { throw .input("--valid-until must be after --valid-from") }
                return (from, until)
            default: throw .input("give exactly one of --valid-until and --long-term")
            }
        }
    }

    struct Issue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a licence to a holder (签发).",
            discussion: """
                The holder commitment is H(salt ‖ id-number) with the chain's hash; a fresh
                random salt is printed once. Hand it to the holder with the licence id: with
                the id number it opens the commitment, and without it the chain reveals nothing.
                Example (the holder's public key as `civic keys show` prints it):
                  printf '440305199001011234' | civic licence issue --key Nodes/node2/admin.key \\
                    --type RESIDENT_ID_CARD --holder 02ab… --id-number - --document id-card.pdf --long-term
                """)

        @OptionGroup var options: ClientOptions
        @Option(help: "Licence type code (see `civic chain bureaus`), e.g. RESIDENT_ID_CARD, BUSINESS_LICENCE.")
        var type: String
        @Option(help: ArgumentHelp("The holder's public key (hex) or key file.", valueName: "KEY"))
        var holder: String
        @Option(help: ArgumentHelp(
            "The holder's id number (身份证号 or 统一社会信用代码); only its salted hash is kept. `-` reads it from standard input, which keeps it out of shell history and `ps`.",
            valueName: "TEXT"))
        var idNumber: String
        @Option(help: ArgumentHelp("The commitment's salt as 32 hex characters (default: random).", valueName: "HEX"))
        var salt: String?
        @OptionGroup var terms: Terms

        func run() async throws {
            let session = try Session(options)
            let key = try session.key(for: "the issuing bureau's admin key")
            let type = try Identifiers.licenceType(type)
            let window = try terms.window()
            let chain = try await session.chain()
            let holderKey = try Arguments.publicKey(holder, suite: chain.suite, option: "--holder")
            let saltBytes = try salt.map { text throws(CLIFailure) in try Arguments.hex(text, bytes: 16, option: "--salt") }
                ?? (0..<16).map { _ in UInt8.random(in: .min ... .max) }
            let number = idNumber == "-" ? (readLine(strippingNewline: true) ?? "") : idNumber
            guard !number.isEmpty, number.utf8.count <= 64 else { throw CLIFailure.input("--id-number must be 1 to 64 characters") }
            let commitment = chain.suite.digest(saltBytes + Array(number.utf8))
            let digest = try InputFile.digest(terms.document, suite: chain.suite)
            let issue = LicenceIssue(
                licenceType: type, holderKey: holderKey.compressed, holderCommitment: commitment, documentDigest: digest,
                validFrom: window.from, validUntil: window.until)
            let salt = Hex.encode(saltBytes)
            // A licence's id is the id of the transaction that issued it.
            let committed = try await session.commit(.issueLicence(issue), key: key, chain: chain) { txid in
                ["licence": txid, "salt": salt, "documentDigest": digest.hex]
            }
            guard !options.json else { return }
            Output.line("licence issued (电子证照已签发) at height \(committed.receipt.height)")
            Output.fields([
                ("licence", committed.txid), ("type", type.value), ("holder", holderKey.compressed.hex),
                ("document digest", digest.hex), ("valid", LicenceText.window(window.from, window.until)),
                ("salt", "\(salt)  (give it to the holder with the licence id; it is not kept anywhere else)"),
            ])
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a licence: type, issuer, holder, digest, validity, status.")

        @OptionGroup var options: ClientOptions
        @Argument(help: "The licence id (the id of the transaction that issued it).")
        var id: String

        func run() async throws {
            let session = try Session(options)
            let id = try Identifiers.licence(id).hex
            let licence = try await session.call { () async throws(ClientError) in try await session.client.licence(id: id) }
            if options.json { Output.json(licence) } else { LicenceText.print(licence) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a holder's licences, optionally of one type.")

        @OptionGroup var options: ClientOptions
        @Option(help: ArgumentHelp("The holder's public key (hex) or key file.", valueName: "KEY"))
        var holder: String
        @Option(help: "Only this licence type code.")
        var type: String?

        func run() async throws {
            let session = try Session(options)
            let chain = try await session.chain()
            let holderKey = try Arguments.publicKey(holder, suite: chain.suite, option: "--holder").compressed.hex
            let type = try type.map { text throws(CLIFailure) in try Identifiers.licenceType(text).value }
            let list = try await session.call { () async throws(ClientError) in try await session.client.licences(holder: holderKey, type: type) }
            if options.json { return Output.json(list) }
            guard !list.licences.isEmpty else { return Output.line("no licences for holder \(Output.short(holderKey))") }
            Output.table(
                ["licence", "type", "issuer", "status", "valid until"],
                list.licences.map { [$0.id, LicenceText.typeName($0.type), $0.issuer.nameZh ?? $0.issuer.id, $0.status, LicenceText.until($0)] })
        }
    }

    struct StatusChange: ParsableArguments {
        @OptionGroup var options: ClientOptions
        @Argument(help: "The licence id.")
        var id: String
        @Option(help: "Why (kept on chain; no personal data).")
        var reason: String = ""
    }

    static func change(_ arguments: StatusChange, _ make: (LicenceStatusChange) -> LedgerOperation, done: String) async throws {
        let session = try Session(arguments.options)
        let key = try session.key(for: "the issuing bureau's admin key")
        let id = try Identifiers.licence(arguments.id)
        let change = try payload { () throws(CanonicalError) in try LicenceStatusChange(licence: id, reason: arguments.reason) }
        let chain = try await session.chain()
        let committed = try await session.commit(make(change), key: key, chain: chain) { _ in ["licence": id.hex] }
        if !arguments.options.json { Output.line("licence \(id.hex) \(done) at height \(committed.receipt.height)") }
    }

    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Suspend a licence (暂停); reinstate undoes it.")
        @OptionGroup var arguments: StatusChange
        func run() async throws { try await LicenceCommand.change(arguments, LedgerOperation.suspendLicence, done: "suspended") }
    }

    struct Reinstate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reinstate a suspended licence (恢复).")
        @OptionGroup var arguments: StatusChange
        func run() async throws { try await LicenceCommand.change(arguments, LedgerOperation.reinstateLicence, done: "reinstated") }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a licence for good (吊销/注销).")
        @OptionGroup var arguments: StatusChange
        func run() async throws { try await LicenceCommand.change(arguments, LedgerOperation.revokeLicence, done: "revoked") }
    }

    struct Supersede: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a licence by a new one (换证); the old one becomes superseded.",
            discussion: "The new licence keeps the old one's type and holder commitment; its holder key is the old one unless --holder names another.")

        @OptionGroup var options: ClientOptions
        @Argument(help: "The licence id to replace.")
        var old: String
        @Option(help: ArgumentHelp("A new holder public key (hex) or key file.", valueName: "KEY"))
        var holder: String?
        @OptionGroup var terms: Terms

        func run() async throws {
            let session = try Session(options)
            let key = try session.key(for: "the issuing bureau's admin key")
            let oldID = try Identifiers.licence(old)
            let window = try terms.window()
            let chain = try await session.chain()
            let current = try await session.call { () async throws(ClientError) in try await session.client.licence(id: oldID.hex) }
            let holderKey: PublicKeyBytes
            if let holder {
                holderKey = try Arguments.publicKey(holder, suite: chain.suite, option: "--holder").compressed
            } else {
                guard let current = PublicKeyBytes(try Arguments.hex(current.holderKey, bytes: 33, option: "holder key")) else {
                    throw CLIFailure.unavailable("the node sent a holder key that is not a public key")
                }
                holderKey = current
            }
            let commitment = Digest(unchecked: try Arguments.hex(current.holderCommitment, bytes: Digest.byteCount, option: "commitment"))
            let digest = try InputFile.digest(terms.document, suite: chain.suite)
            let type = try Identifiers.licenceType(current.type.code)
            let replacement = LicenceIssue(
                licenceType: type, holderKey: holderKey, holderCommitment: commitment, documentDigest: digest,
                validFrom: window.from, validUntil: window.until)
            let committed = try await session.commit(
                .supersedeLicence(LicenceSupersession(old: oldID, replacement: replacement)), key: key, chain: chain
            ) { txid in ["old": oldID.hex, "licence": txid] }
            if !options.json {
                Output.line("licence \(oldID.hex) superseded by \(committed.txid) at height \(committed.receipt.height)")
            }
        }
    }
}
