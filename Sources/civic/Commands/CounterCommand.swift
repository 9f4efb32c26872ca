import ArgumentParser
import CLISupport
import CivicClient
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPIModel
import TerminalQR

struct CounterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "counter",
        abstract: "Ask for consent and verify licences at a service counter (窗口, 免证办).",
        discussion: """
            1. `civic counter request` shows a consent request as a QR code for the holder to scan.
            2. The holder runs `civic holder grant` on it and tells you the consent id.
            3. `civic counter verify` checks the licence against the chain and the grant, and
               records the use on the ledger, signed with your office key (--key).
            """,
        subcommands: [Request.self, Verify.self]
    )

    struct Request: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a consent request and show it as a QR code (and as text to copy).")

        @OptionGroup var options: ClientOptions
        @Option(help: "Your office id, as registered on chain (e.g. futian-counter-1).")
        var office: String
        @Option(help: "The licence types you need, comma-separated (e.g. RESIDENT_ID_CARD,BUSINESS_LICENCE).")
        var types: String
        @Option(help: "Why you need them; the holder sees this (用途).")
        var purpose: String
        @Option(help: ArgumentHelp("How long the grant may be used: 90s, 10m, 2h, 30d.", valueName: "DURATION"))
        var validFor: String = "30m"
        @Option(help: "How many times the grant may be used.")
        var uses: UInt64 = 1
        @Option(help: ArgumentHelp("Also save the QR code as a PNG image.", valueName: "FILE"))
        var png: String?
        @Flag(help: "Print the QR code dark-on-light (for terminals with a light background).")
        var invert = false

        func run() async throws {
            let session = try Session(options)
            let office = try Identifiers.office(office)
            let types = try types.split(separator: ",").map { text throws(CLIFailure) in try Identifiers.licenceType(String(text), option: "--types") }
            let lifetime = try Arguments.duration(validFor, option: "--valid-for")
            let chain = try await session.chain()
            let now = UInt64(Date().timeIntervalSince1970 * 1000)
            let request: ConsentRequest
            do {
                request = try ConsentRequest(
                    chainID: chain.parameters.chainID, office: office, licenceTypes: types, purpose: purpose,
                    notAfterMillis: max(now, chain.blockTimeMillis) + lifetime, maxUses: uses,
                    nonce: UInt64.random(in: 1 ... UInt64(Int64.max)))
            } catch {
                throw CLIFailure.input(error.description)
            }
            let code: QRCode
            do { code = try QRCode(text: request.payload) } catch { throw CLIFailure.input("cannot draw the QR code: \(error)") }
            if let png {
                do { try code.writePNG(to: png) } catch { throw CLIFailure.input(error.description) }
            }
            if options.json {
                struct Shown: Encodable { let payload: String; let notAfterMillis: UInt64; let png: String? }
                return Output.json(Shown(payload: request.payload, notAfterMillis: request.notAfterMillis, png: png))
            }
            Output.line(code.renderForTerminal(invert: invert))
            Output.line("Scan to consent (扫码授权), or copy:")
            Output.line(request.payload)
            Output.line("Valid until \(Output.time(request.notAfterMillis)), \(uses) use\(uses == 1 ? "" : "s").")
            if let png { Output.line("Saved as \(png).") }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a licence with the holder's consent, and record the use (核验).",
            discussion: """
                Prints each check (issuer authorised, status, validity window, document digest,
                consent valid, uses left) and one overall line: VERIFIED, or REFUSED: reason.
                Only a VERIFIED check is recorded on the ledger as a use of the grant; the
                ledger re-checks everything when it records it. Exit status 1 when refused.

                With --trustless the node is not believed: once the use is recorded, the
                licence, its issuer's rights, the grant and the use's receipt are fetched with
                state proofs, checked against the certificate of 2f+1 validators from the
                genesis file (--genesis), and judged here at that block's time; the answer must
                be no older than --max-age. See docs/trust-model.md.
                """)

        @OptionGroup var options: ClientOptions
        @Option(help: "The licence id.")
        var licence: String?
        @Option(help: ArgumentHelp("Or: the holder's public key (hex) or key file, with --type.", valueName: "KEY"))
        var holder: String?
        @Option(help: "With --holder: the licence type code.")
        var type: String?
        @Option(help: ArgumentHelp("The presented document file; its digest must match the chain's.", valueName: "FILE"))
        var document: String?
        @Option(help: ArgumentHelp("Or: the presented document's digest in hex.", valueName: "HEX"))
        var digest: String?
        @Option(help: "The consent id the holder gave you.")
        var consent: String
        @Option(help: "Your office id.")
        var office: String
        @OptionGroup var trust: TrustOptions

        func run() async throws {
            let session = try Session(options)
            let key = try session.key(for: "your office key")
            let light = trust.trustless ? try trust.lightClient(session) : nil
            let consentID = try Identifiers.consent(consent)
            let officeID = try Identifiers.office(office)
            let chain = try await session.chain()
            if let light { try trust.requireSameChain(chain, as: light) }
            let presented: Digest
            switch (document, digest) {
            case let (file?, nil): presented = try InputFile.digest(file, suite: chain.suite)
            case let (nil, hex?): presented = Digest(unchecked: try Arguments.hex(hex, bytes: Digest.byteCount, option: "--digest"))
            default: throw CLIFailure.input("give exactly one of --document and --digest")
            }
            var body: VerifyBody
            switch (licence, holder, type) {
            case let (id?, nil, nil):
                body = VerifyBody(licence: try Identifiers.licence(id, option: "--licence").hex)
            case let (nil, holder?, type?):
                let holderKey = try Arguments.publicKey(holder, suite: chain.suite, option: "--holder")
                body = VerifyBody(holder: holderKey.compressed.hex, type: try Identifiers.licenceType(type).value)
            default:
                throw CLIFailure.input("give --licence, or --holder with --type")
            }
            body = VerifyBody(
                licence: body.licence, holder: body.holder, type: body.type, documentDigest: presented.hex,
                consent: consentID.hex, office: officeID.value)
            let verdict = try await session.call { () async throws(ClientError) in
                try await session.client.verify(body, signedBy: key, suite: chain.suite)
            }
            var outcome = CounterOutcome(verdict: verdict)
            if verdict.passed, let licenceText = verdict.licence?.id {
                let licenceID = try Identifiers.licence(licenceText)
                if let asked = body.licence, asked != licenceID.hex {
                    throw CLIFailure.negative("REFUSED: the node answered about licence \(licenceID.hex), not the one asked about (\(asked))")
                }
                // The read said yes; the ledger decides, in order with every other use and revocation.
                let signing = if let light { try await trust.anchoredChain(chain, light: light, asking: licenceID) } else { chain }
                let use = try session.sign(.useConsent(ConsentAction(consent: consentID, licence: licenceID)), key: key, chain: signing)
                do {
                    let recorded = try await session.send(use, waiting: "recording the use")
                    outcome.record(recorded)
                    if let light, recorded.receipt.accepted {
                        await outcome.prove(
                            with: light, question: .init(
                                licence: licenceID, digest: presented, consent: consentID, office: officeID,
                                holder: body.holder, type: body.type),
                            use: use, key: key, reportedHeight: recorded.receipt.height)
                    }
                } catch {
                    guard error.exitCode == ExitStatus.negative else { throw error }
                    outcome.refuse(error.message ?? "REFUSED")
                }
            }
            if options.json { Output.json(outcome) } else { outcome.print() }
            if let unproven = outcome.unproven { throw CLIFailure.unavailable(unproven) }
            if !outcome.verified { throw CLIFailure.negative(nil) }
        }
    }
}

/// The counter check's result: the verdict's checks, whether the use was
/// recorded, and the one overall line.
struct CounterOutcome: Encodable {
    var verdict: VerdictView
    var verified: Bool
    /// Set when the outcome was checked with --trustless.
    var trustless: TrustlessSummary?
    /// Set when --trustless could not get its proofs (the node's fault, exit 3).
    var unproven: String?
    /// True when --trustless failed: the checks shown are the node's, not proven.
    var uncheckedVerdict = false
    var result: String
    var useTransaction: String?
    var useHeight: UInt64?

    init(verdict: VerdictView) {
        self.verdict = verdict
        verified = false
        if let failed = verdict.checks.first(where: { !$0.passed }) {
            result = "REFUSED: \(failed.code ?? failed.name): \(failed.detail)"
        } else if verdict.licence == nil {
            result = "REFUSED: LICENCE_NOT_FOUND: no such licence"
        } else {
            result = "REFUSED: the use could not be recorded"
        }
    }

    mutating func record(_ committed: CommittedTransaction) {
        useTransaction = committed.txid
        useHeight = committed.receipt.height
        if committed.receipt.accepted {
            verified = true
            result = "VERIFIED"
        } else {
            result = "REFUSED: \(committed.receipt.code): \(committed.receipt.message)"
        }
    }

    /// What the counter asked, as the trustless check compares it with the proofs.
    struct Question {
        let licence: LicenceID
        let digest: Digest
        let consent: ConsentID
        let office: OfficeID
        /// With --holder/--type: the licence the node picked must be the holder's, of that type.
        let holder: String?
        let type: String?
    }

    /// The trustless check, after the use is recorded: the node's verdict and
    /// receipt give way to what the proofs show. The use's id is computed here
    /// from the transaction this command signed, and its receipt is proven
    /// first; the records are proven at or after its height. That state is the
    /// one after the use, so the grant's remaining uses are not judged again:
    /// the proven receipt shows that the ledger accepted this very use.
    mutating func prove(
        with light: LightClient, question: Question, use: SignedTransaction, key: PrivateKey, reportedHeight: UInt64
    ) async {
        verified = false
        // Until the proofs pass, what is shown is the node's word.
        uncheckedVerdict = true
        let id = use.transaction.id(using: light.anchor.chain.suite)
        let local: VerdictView
        let receipt: Receipt?
        let proven: TrustAnchor.Verified
        do {
            // At or above the height the node reported: an older state, where the
            // use is not yet, would pass off "no proof yet" as a proven "no".
            (receipt, _) = try await light.receipt(id, minHeight: reportedHeight)
            (local, proven) = try await light.counterCheck(
                licence: question.licence, presentedDigest: question.digest, consent: question.consent, office: question.office,
                minHeight: receipt?.height.value ?? reportedHeight, signer: key)
        } catch {
            switch error {
            case let .untrusted(reason):
                result = "REFUSED: UNTRUSTED_ANSWER: \(reason)"
            case let .node(reason):
                result = "NOT VERIFIED: the use was submitted, but the node gave no proof: \(reason)"
                unproven = reason.description
            }
            return
        }
        uncheckedVerdict = false
        let ours = receipt.map {
            $0.transaction == id && $0.kind == TransactionKind.useConsent.rawValue && $0.sender == use.transaction.sender
        } ?? false
        let accepted = ours && receipt?.accepted == true
        useTransaction = id.hex
        useHeight = receipt?.height.value
        let useCheck = VerdictView.CheckView(
            name: "use-recorded", passed: accepted,
            code: accepted ? nil : (ours ? receipt?.code.rawValue : "RECEIPT_NOT_FOUND"),
            detail: accepted
                ? "the ledger accepted this use (\(Output.short(id.hex))) at height \(receipt!.height) (proven)"
                : "no accepted receipt of this use (\(Output.short(id.hex))) is proven")
        var checks = local.checks.filter { $0.name != "uses-left" } + [useCheck]
        if let holder = question.holder, let type = question.type {
            let matches = local.licence?.holderKey == holder.lowercased() && local.licence?.type.code == type
            checks.append(.init(
                name: "licence-matches", passed: matches, code: matches ? nil : "UNTRUSTED_ANSWER",
                detail: matches ? "the holder's \(type)" : "the licence the node chose is not the holder's \(type)"))
        }
        verdict = VerdictView(
            passed: checks.allSatisfy(\.passed), atMillis: local.atMillis, height: local.height, licence: local.licence, checks: checks)
        trustless = TrustlessSummary(proven)
        if let failed = checks.first(where: { !$0.passed }) {
            result = "REFUSED: \(failed.code ?? failed.name): \(failed.detail)"
        } else {
            verified = true
            result = "VERIFIED"
        }
    }

    mutating func refuse(_ line: String) {
        verified = false
        result = line.hasPrefix("REFUSED") ? line : "REFUSED: \(line)"
    }

    func print() {
        if let licence = verdict.licence {
            Output.fields([
                ("licence", licence.id),
                ("type", LicenceText.typeName(licence.type)),
                ("issuer", [licence.issuer.nameZh, licence.issuer.nameEn].compactMap { $0 }.joined(separator: " ")),
            ])
            Output.line("")
        }
        if uncheckedVerdict { Output.line("The node's checks, NOT proven (the proofs failed, see the last line):") }
        Output.table(
            ["check", "result", "detail"],
            verdict.checks.map { [CheckNames.label($0.name), $0.passed ? "ok" : ($0.code ?? "failed"), $0.detail] })
        Output.line("")
        if verified, let height = useHeight {
            Output.line("VERIFIED  (use recorded at height \(height))")
        } else {
            Output.line(result)
        }
        if let trustless { Output.line(trustless.line) }
    }
}

/// The verdict's check names as the counter reads them.
enum CheckNames {
    static func label(_ name: String) -> String {
        switch name {
        case "licence-found": return "licence (证照)"
        case "issuer-authorised": return "issuer (签发机关)"
        case "status": return "status (状态)"
        case "validity-window": return "validity (有效期)"
        case "document-digest": return "digest match (摘要)"
        case "consent-valid": return "consent (授权)"
        case "uses-left": return "uses left (剩余次数)"
        case "use-recorded": return "use recorded (核验记录)"
        case "licence-matches": return "holder's licence (持证人)"
        default: return name
        }
    }
}
