import ArgumentParser
import CLISupport
import CivicClient
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPIModel

struct HolderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "holder",
        abstract: "Grant and revoke consent, and see who used your licences — for holders (持证人).",
        discussion: """
            --key is your holder key: the key your licences were issued to. Grants and
            the access log are shown only to requests signed by it.
            """,
        subcommands: [Grant.self, Revoke.self, Grants.self, AccessLog.self, Licences.self]
    )

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Consent to a counter's request (扫码授权): read it, confirm, sign.",
            discussion: """
                REQUEST is the text of the counter's QR code (civicledger:consent?…), or - to
                read it from standard input. civic shows exactly what you agree to — office,
                purpose, licences, expiry and number of uses — and signs only after you
                confirm (or with --yes, which --json needs). For each licence type asked,
                your newest active, unexpired licence of that type is used unless --licence
                names one.
                """)

        @OptionGroup var options: ClientOptions
        @Argument(help: "The consent request payload, or - for standard input.")
        var request: String
        @Option(name: .customLong("licence"), help: "Use this licence id (repeat for several types).")
        var licences: [String] = []
        @Flag(help: "Sign without asking (for scripts).")
        var yes = false

        func validate() throws {
            // With --json, stdout is for the JSON document: no room to show the request and ask.
            if options.json && !yes { throw ValidationError("--json needs --yes: the request is shown and confirmed only in text mode") }
        }

        func run() async throws {
            let session = try Session(options)
            let key = try session.key(for: "your holder key")
            let text = request == "-" ? (readLine(strippingNewline: true) ?? "") : request
            let consentRequest: ConsentRequest
            do { consentRequest = try ConsentRequest(payload: text) } catch { throw CLIFailure.input(error.description) }
            let chain = try await session.chain()
            guard consentRequest.chainID == chain.parameters.chainID else {
                throw CLIFailure.input("the request is for chain \(consentRequest.chainID.value) but the node serves \(chain.parameters.chainID.value)")
            }
            let chosen = try await choose(
                for: consentRequest, holder: key.publicKey.compressed.hex, now: max(chain.blockTimeMillis, UInt64(Date().timeIntervalSince1970 * 1000)),
                session: session)
            let grant: ConsentGrant
            do { grant = try consentRequest.grant(holder: key.publicKey.compressed, licences: chosen.map(\.id)) } catch {
                throw CLIFailure.input(error.description)
            }
            if !options.json { show(consentRequest, chosen) }
            try confirm()
            let signed: SignedConsentGrant
            do { signed = try grant.signed(by: key, suite: chain.suite) } catch { throw CLIFailure.input(error.description) }
            let consentID = grant.id(using: chain.suite).hex
            let committed = try await session.commit(.grantConsent(signed), key: key, chain: chain) { _ in ["consent": consentID] }
            if !options.json {
                Output.line("consent granted (已授权) at height \(committed.receipt.height)")
                Output.fields([("consent", consentID), ("tell the counter", "this consent id; revoke it any time with `civic holder revoke`")])
            }
        }

        struct Chosen {
            let id: LicenceID
            let view: LicenceView
        }

        private func choose(for request: ConsentRequest, holder: String, now: UInt64, session: Session) async throws(CLIFailure) -> [Chosen] {
            var named: [LicenceView] = []
            for text in licences {
                let id = try Identifiers.licence(text, option: "--licence").hex
                named.append(try await session.call { () async throws(ClientError) in try await session.client.licence(id: id) })
            }
            var chosen: [Chosen] = []
            for type in request.licenceTypes {
                let view: LicenceView
                if let pick = named.first(where: { $0.type.code == type.value }) {
                    view = pick
                } else {
                    let held = try await session.call { () async throws(ClientError) in
                        try await session.client.licences(holder: holder, type: type.value)
                    }
                    let usable = held.licences.filter { $0.status == "active" && ($0.validUntilMillis ?? .max) > now && $0.validFromMillis <= now }
                    guard let newest = usable.max(by: { $0.issuedAtHeight < $1.issuedAtHeight }) else {
                        throw CLIFailure.negative("REFUSED: you hold no active, unexpired \(type.value) licence for this request")
                    }
                    view = newest
                }
                guard view.holderKey == holder else {
                    throw CLIFailure.input("licence \(view.id) belongs to another holder key")
                }
                chosen.append(Chosen(id: try Identifiers.licence(view.id), view: view))
            }
            return chosen
        }

        private func show(_ request: ConsentRequest, _ chosen: [Chosen]) {
            Output.line("Consent request (授权请求) — read it before you sign:")
            var fields: [(String, String)] = [
                ("office (窗口)", request.office.value),
                ("purpose (用途)", request.purpose),
            ]
            for item in chosen {
                fields.append(("licence (证照)", "\(LicenceText.typeName(item.view.type))  \(item.view.id)  valid until \(LicenceText.until(item.view))"))
            }
            fields.append(("expires (有效期至)", Output.time(request.notAfterMillis)))
            fields.append(("uses (次数)", "at most \(request.maxUses)"))
            Output.fields(fields)
        }

        private func confirm() throws(CLIFailure) {
            guard !yes else { return }
            guard isatty(STDIN_FILENO) == 1, request != "-" else {
                throw .input("confirm with --yes when not answering at a terminal")
            }
            Console.writeRaw("Sign this consent with your key? [y/N] ", toError: false)
            let answer = (readLine() ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            guard answer == "y" || answer == "yes" else { throw .negative("not signed: you declined") }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a consent grant (撤回授权); later uses are refused.")

        @OptionGroup var options: ClientOptions
        @Argument(help: "The consent id.")
        var consent: String

        func run() async throws {
            let session = try Session(options)
            let key = try session.key(for: "your holder key")
            let id = try Identifiers.consent(consent)
            let chain = try await session.chain()
            let committed = try await session.commit(
                .revokeConsent(ConsentAction(consent: id, licence: nil)), key: key, chain: chain) { _ in ["consent": id.hex] }
            if !options.json { Output.line("consent \(id.hex) revoked (已撤回) at height \(committed.receipt.height)") }
        }
    }

    struct Grants: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List your consent grants, newest first.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let session = try Session(options)
            let key = try session.key(for: "your holder key")
            let chain = try await session.chain()
            let list = try await session.call { () async throws(ClientError) in try await session.client.consents(holder: key, suite: chain.suite) }
            if options.json { return Output.json(list) }
            guard !list.consents.isEmpty else { return Output.line("no consent grants") }
            Output.table(
                ["consent", "office", "purpose", "expires", "uses", "state"],
                list.consents.map {
                    [$0.id, $0.office, $0.purpose, Output.time($0.notAfterMillis), "\($0.uses)/\($0.maxUses)", $0.revoked ? "revoked" : "active"]
                })
        }
    }

    struct AccessLog: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "access-log",
            abstract: "Who used which of your licences, when, for what purpose (用证记录).")

        @OptionGroup var options: ClientOptions
        @Argument(help: "Only this consent id (default: all your grants).")
        var consent: String?

        struct Entry: Encodable {
            let consent: String
            let office: String
            let purpose: String
            let licence: String
            let height: UInt64
            let timeMillis: UInt64
            let transaction: String
        }

        func run() async throws {
            let session = try Session(options)
            let key = try session.key(for: "your holder key")
            let chain = try await session.chain()
            let only = try consent.map { text throws(CLIFailure) in try Identifiers.consent(text).hex }
            let grants = try await session.call { () async throws(ClientError) in
                try await session.client.consents(holder: key, suite: chain.suite, limit: 500)
            }
            let selected = grants.consents.filter { only == nil || $0.id == only }
            if let only, selected.isEmpty { throw CLIFailure.negative("REFUSED: NOT_FOUND: you have no consent grant \(only)") }
            var entries: [Entry] = []
            for grant in selected {
                var from: UInt64? = 0
                // Bounded: each page advances `from`, and a grant has at most maxUses uses.
                while let start = from {
                    let page = try await session.call { () async throws(ClientError) in
                        try await session.client.consentUses(consent: grant.id, from: start, holder: key, suite: chain.suite)
                    }
                    entries += page.uses.map {
                        Entry(consent: grant.id, office: $0.office, purpose: grant.purpose, licence: $0.licence, height: $0.height, timeMillis: $0.timeMillis, transaction: $0.transaction)
                    }
                    from = page.next.flatMap { $0 > start ? $0 : nil }
                }
            }
            entries.sort { ($0.timeMillis, $0.height) > ($1.timeMillis, $1.height) }
            if options.json { return Output.json(entries) }
            guard !entries.isEmpty else { return Output.line("nobody has used your licences") }
            Output.table(
                ["when", "office", "purpose", "licence", "height"],
                entries.map { [Output.time($0.timeMillis), $0.office, $0.purpose, Output.short($0.licence), String($0.height)] })
        }
    }

    struct Licences: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the licences issued to your key.")

        @OptionGroup var options: ClientOptions

        func run() async throws {
            let session = try Session(options)
            let key = try session.key(for: "your holder key")
            let list = try await session.call { () async throws(ClientError) in
                try await session.client.licences(holder: key.publicKey.compressed.hex)
            }
            if options.json { return Output.json(list) }
            guard !list.licences.isEmpty else { return Output.line("no licences are issued to this key") }
            Output.table(
                ["licence", "type", "issuer", "status", "valid until"],
                list.licences.map { [$0.id, LicenceText.typeName($0.type), $0.issuer.nameZh ?? $0.issuer.id, $0.status, LicenceText.until($0)] })
        }
    }
}
