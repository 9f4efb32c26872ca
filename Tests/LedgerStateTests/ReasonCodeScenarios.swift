import LedgerCore
import LedgerCrypto
import LedgerState

/// One way to make the ledger answer with a given reason code: the set-up
/// runs inside, and the last receipt is the one judged.
struct ReasonScenario: Sendable, CustomTestStringConvertible {
    let expected: ReasonCode
    let name: String
    let run: @Sendable (LedgerHarness) throws -> Receipt

    init(_ expected: ReasonCode, _ name: String, _ run: @escaping @Sendable (LedgerHarness) throws -> Receipt) {
        self.expected = expected
        self.name = name
        self.run = run
    }

    var testDescription: String { "\(expected.rawValue): \(name)" }
}

import Testing

extension ReasonScenario {
    static let all: [ReasonScenario] = envelope + registry + licences + consent + invoices + governance

    static let envelope: [ReasonScenario] = [
        .init(.ok, "a bureau issues a licence type it owns") { h in
            try h.run(.issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: try h.newKey())), by: h.admin("psb"))
        },
        .init(.badSignature, "the signature is another key's") { h in
            let signer = try h.newKey()
            let honest = try h.tx(.issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: signer)), by: h.admin("psb"))
            let forged = try SignedTransaction(
                transaction: honest.transaction, signature: try h.suite.sign(honest.transaction.signingMessage, with: signer))
            return try h.block([forged])[0]
        },
        .init(.wrongChain, "the envelope names another chain") { h in
            let other = ChainParameters(chainID: ChainID("other-chain")!, suite: h.suite)
            let tx = try LedgerOperation.issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: try h.newKey()))
                .signed(by: h.admin("psb"), chain: other, nonce: 0, expiryHeight: 100)
            return try h.block([tx])[0]
        },
        .init(.expired, "the expiry height has passed") { h in
            try h.block([]); try h.block([])
            return try h.block([h.tx(.issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: try h.newKey())), by: h.admin("psb"), expiry: 1)])[0]
        },
        .init(.replay, "the same transaction again in a later block") { h in
            let tx = try h.tx(.issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: try h.newKey())), by: h.admin("psb"))
            try h.expectOK(try h.block([tx])[0])
            return try h.block([tx])[0]
        },
        .init(.unknownKind, "a kind no rule knows") { h in
            let key = h.admin("psb")
            let tx = try Transaction(
                chainID: h.chain.chainID, sender: key.publicKey.compressed, nonce: 0, expiryHeight: 100, kind: 999, payload: [])
            return try h.block([SignedTransaction(transaction: tx, signature: h.suite.sign(tx.signingMessage, with: key))])[0]
        },
        .init(.malformedPayload, "a payload that is not the kind's DER") { h in
            let key = h.admin("psb")
            let tx = try Transaction(
                chainID: h.chain.chainID, sender: key.publicKey.compressed, nonce: 0, expiryHeight: 100,
                kind: TransactionKind.issueLicence.rawValue, payload: [0x30, 0x03, 0x02, 0x01, 0x01, 0x00])
            return try h.block([SignedTransaction(transaction: tx, signature: h.suite.sign(tx.signingMessage, with: key))])[0]
        },
        .init(.invalidField, "a reversal without a reason") { h in
            let seller = try h.taxpayer(Taxpayers.seller)
            _ = try h.taxpayer(Taxpayers.buyer)
            try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: seller))
            return try h.run(.reverseInvoice(h.invoiceAction("00000001")), by: seller)
        },
    ]

    static let registry: [ReasonScenario] = [
        .init(.notABureau, "a stranger issues a licence") { h in
            try h.run(.issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: try h.newKey())), by: try h.newKey())
        },
        .init(.notAuthorisedToRegister, "公安局 registers an office") { h in
            try h.run(.register(Registration(subject: .office(OfficeID("counter-1")!), name: "窗口", key: try h.newKey().publicKey.compressed)), by: h.admin("psb"))
        },
        .init(.notRegistrar, "公安局 disables a taxpayer 税务局 registered") { h in
            _ = try h.taxpayer(Taxpayers.seller)
            return try h.run(.disable(Disablement(subject: .taxpayer(TaxpayerID(Taxpayers.seller)!), reason: "")), by: h.admin("psb"))
        },
        .init(.keyInUse, "an office registered under a bureau's admin key") { h in
            try h.run(.register(Registration(subject: .office(OfficeID("counter-1")!), name: "窗口", key: h.admin("psb").publicKey.compressed)), by: h.admin("gsdmb"))
        },
        .init(.officeDuplicate, "the same office twice") { h in
            _ = try h.office("counter-1")
            return try h.run(.register(Registration(subject: .office(OfficeID("counter-1")!), name: "窗口", key: try h.newKey().publicKey.compressed)), by: h.admin("gsdmb"))
        },
        .init(.officeNotFound, "disabling an office never registered") { h in
            try h.run(.disable(Disablement(subject: .office(OfficeID("nowhere")!), reason: "")), by: h.admin("gsdmb"))
        },
        .init(.officeDisabled, "a grant for a disabled office") { h in
            _ = try h.office("counter-1")
            try h.expectOK(h.run(.disable(Disablement(subject: .office(OfficeID("counter-1")!), reason: "closed")), by: h.admin("gsdmb")))
            let holder = try h.newKey()
            let licence = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
            return try h.run(.grantConsent(h.grant([licence], office: "counter-1", holder: holder)), by: holder)
        },
        .init(.taxpayerDuplicate, "the same taxpayer twice") { h in
            _ = try h.taxpayer(Taxpayers.seller)
            return try h.run(.register(Registration(subject: .taxpayer(TaxpayerID(Taxpayers.seller)!), name: "x", key: try h.newKey().publicKey.compressed)), by: h.admin("tax"))
        },
        .init(.taxpayerNotFound, "a stranger issues an invoice") { h in
            _ = try h.taxpayer(Taxpayers.buyer)
            return try h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: try h.newKey())
        },
        .init(.taxpayerDisabled, "a disabled seller issues an invoice") { h in
            let seller = try h.taxpayer(Taxpayers.seller)
            _ = try h.taxpayer(Taxpayers.buyer)
            try h.expectOK(h.run(.disable(Disablement(subject: .taxpayer(TaxpayerID(Taxpayers.seller)!), reason: "注销")), by: h.admin("tax")))
            return try h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: seller)
        },
        .init(.auditorDuplicate, "the same auditor twice") { h in
            _ = try h.register(.auditor(AuditorID("auditor-1")!), by: "tax")
            return try h.run(.register(Registration(subject: .auditor(AuditorID("auditor-1")!), name: "x", key: try h.newKey().publicKey.compressed)), by: h.admin("tax"))
        },
        .init(.auditorNotFound, "disabling an auditor never registered") { h in
            try h.run(.disable(Disablement(subject: .auditor(AuditorID("auditor-9")!), reason: "")), by: h.admin("tax"))
        },
        .init(.alreadyDisabled, "disabling twice") { h in
            _ = try h.register(.auditor(AuditorID("auditor-1")!), by: "tax")
            try h.expectOK(h.run(.disable(Disablement(subject: .auditor(AuditorID("auditor-1")!), reason: "")), by: h.admin("tax")))
            return try h.run(.disable(Disablement(subject: .auditor(AuditorID("auditor-1")!), reason: "")), by: h.admin("tax"))
        },
        .init(.notKeyOwner, "a stranger rotates an office's key") { h in
            _ = try h.office("counter-1")
            return try h.run(.rotateKey(KeyRotation(subject: .registered(.office(OfficeID("counter-1")!)), newKey: try h.newKey().publicKey.compressed)), by: try h.newKey())
        },
    ]

    static let licences: [ReasonScenario] = [
        .init(.unknownLicenceType, "a type outside the catalogue") { h in
            try h.run(.issueLicence(h.licenceIssue("NO_SUCH_TYPE", holder: try h.newKey())), by: h.admin("psb"))
        },
        .init(.notAuthorisedForLicenceType, "市场监管局 issues a 居民身份证") { h in
            try h.run(.issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: try h.newKey())), by: h.admin("samr"))
        },
        .init(.invalidValidityWindow, "valid until before valid from") { h in
            try h.run(.issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: try h.newKey(), from: 2_000, until: 1_000)), by: h.admin("psb"))
        },
        .init(.licenceNotFound, "suspending a licence that does not exist") { h in
            try h.run(.suspendLicence(LicenceStatusChange(licence: LicenceID(h.suite.digest([1])), reason: "")), by: h.admin("psb"))
        },
        .init(.notIssuer, "市场监管局 suspends 公安局's licence") { h in
            let id = try h.issue("RESIDENT_ID_CARD", to: try h.newKey(), by: "psb")
            return try h.run(.suspendLicence(LicenceStatusChange(licence: id, reason: "")), by: h.admin("samr"))
        },
        .init(.licenceNotSuspended, "reinstating an active licence") { h in
            let id = try h.issue("RESIDENT_ID_CARD", to: try h.newKey(), by: "psb")
            return try h.run(.reinstateLicence(LicenceStatusChange(licence: id, reason: "")), by: h.admin("psb"))
        },
        .init(.licenceSuspended, "suspending twice") { h in
            let id = try h.issue("RESIDENT_ID_CARD", to: try h.newKey(), by: "psb")
            try h.expectOK(h.run(.suspendLicence(LicenceStatusChange(licence: id, reason: "")), by: h.admin("psb")))
            return try h.run(.suspendLicence(LicenceStatusChange(licence: id, reason: "")), by: h.admin("psb"))
        },
        .init(.licenceRevoked, "suspending a revoked licence") { h in
            let id = try h.issue("RESIDENT_ID_CARD", to: try h.newKey(), by: "psb")
            try h.expectOK(h.run(.revokeLicence(LicenceStatusChange(licence: id, reason: "注销")), by: h.admin("psb")))
            return try h.run(.suspendLicence(LicenceStatusChange(licence: id, reason: "")), by: h.admin("psb"))
        },
        .init(.licenceSuperseded, "revoking a superseded licence") { h in
            let holder = try h.newKey()
            let id = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
            try h.expectOK(h.run(.supersedeLicence(LicenceSupersession(old: id, replacement: h.licenceIssue("RESIDENT_ID_CARD", holder: holder))), by: h.admin("psb")))
            return try h.run(.revokeLicence(LicenceStatusChange(licence: id, reason: "")), by: h.admin("psb"))
        },
        .init(.licenceExpired, "using consent on an expired licence") { h in
            let office = try h.office("counter-1")
            let holder = try h.newKey()
            let id = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb", until: h.time + 5_000)
            let grant = try h.grant([id], office: "counter-1", holder: holder)
            try h.expectOK(h.run(.grantConsent(grant), by: holder))
            return try h.run(.useConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: id)), by: office, advance: 10_000)
        },
        .init(.licenceNotYetValid, "using consent before the licence is valid") { h in
            let office = try h.office("counter-1")
            let holder = try h.newKey()
            let id = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb", from: h.time + 100_000)
            let grant = try h.grant([id], office: "counter-1", holder: holder)
            try h.expectOK(h.run(.grantConsent(grant), by: holder))
            return try h.run(.useConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: id)), by: office)
        },
    ]

    static let consent: [ReasonScenario] = [
        .init(.consentBadSignature, "a grant signed by someone else") { h in
            let holder = try h.newKey()
            _ = try h.office("counter-1")
            let id = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
            return try h.run(.grantConsent(h.grant([id], office: "counter-1", holder: holder, signer: try h.newKey())), by: holder)
        },
        .init(.consentDuplicate, "the same grant twice") { h in
            let holder = try h.newKey()
            _ = try h.office("counter-1")
            let id = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
            let grant = try h.grant([id], office: "counter-1", holder: holder)
            try h.expectOK(h.run(.grantConsent(grant), by: holder))
            return try h.run(.grantConsent(grant), by: holder)
        },
        .init(.consentNotFound, "revoking a grant that does not exist") { h in
            try h.run(.revokeConsent(ConsentAction(consent: ConsentID(h.suite.digest([9])), licence: nil)), by: try h.newKey())
        },
        .init(.notLicenceHolder, "a grant over someone else's licence") { h in
            let holder = try h.newKey()
            _ = try h.office("counter-1")
            let id = try h.issue("RESIDENT_ID_CARD", to: try h.newKey(), by: "psb")
            return try h.run(.grantConsent(h.grant([id], office: "counter-1", holder: holder)), by: holder)
        },
        .init(.notConsentHolder, "the office revokes the holder's grant") { h in
            let holder = try h.newKey()
            let office = try h.office("counter-1")
            let id = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
            let grant = try h.grant([id], office: "counter-1", holder: holder)
            try h.expectOK(h.run(.grantConsent(grant), by: holder))
            return try h.run(.revokeConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: nil)), by: office)
        },
        .init(.consentExpired, "a use after notAfter") { h in
            let holder = try h.newKey()
            let office = try h.office("counter-1")
            let id = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
            let grant = try h.grant([id], office: "counter-1", holder: holder, notAfter: h.time + 2_000)
            try h.expectOK(h.run(.grantConsent(grant), by: holder))
            return try h.run(.useConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: id)), by: office, advance: 5_000)
        },
        .init(.consentRevoked, "a use after the holder revoked") { h in
            let holder = try h.newKey()
            let office = try h.office("counter-1")
            let id = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
            let grant = try h.grant([id], office: "counter-1", holder: holder)
            try h.expectOK(h.run(.grantConsent(grant), by: holder))
            try h.expectOK(h.run(.revokeConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: nil)), by: holder))
            return try h.run(.useConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: id)), by: office)
        },
        .init(.consentWrongOffice, "another office cites the grant") { h in
            let holder = try h.newKey()
            _ = try h.office("counter-1")
            let other = try h.office("counter-2")
            let id = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
            let grant = try h.grant([id], office: "counter-1", holder: holder)
            try h.expectOK(h.run(.grantConsent(grant), by: holder))
            return try h.run(.useConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: id)), by: other)
        },
        .init(.consentUsedUp, "a second use of a one-use grant") { h in
            let holder = try h.newKey()
            let office = try h.office("counter-1")
            let id = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
            let grant = try h.grant([id], office: "counter-1", holder: holder, maxUses: 1)
            try h.expectOK(h.run(.grantConsent(grant), by: holder))
            let use = LedgerOperation.useConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: id))
            try h.expectOK(h.run(use, by: office))
            return try h.run(use, by: office)
        },
        .init(.licenceNotInConsent, "a use citing a licence the grant does not cover") { h in
            let holder = try h.newKey()
            let office = try h.office("counter-1")
            let id = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
            let other = try h.issue("DRIVING_LICENCE", to: holder, by: "psb")
            let grant = try h.grant([id], office: "counter-1", holder: holder)
            try h.expectOK(h.run(.grantConsent(grant), by: holder))
            return try h.run(.useConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: other)), by: office)
        },
    ]

    static let invoices: [ReasonScenario] = [
        .init(.invoiceDuplicate, "the same code and number twice") { h in
            let seller = try h.taxpayer(Taxpayers.seller)
            _ = try h.taxpayer(Taxpayers.buyer)
            try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: seller))
            return try h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer, amount: 5)), by: seller)
        },
        .init(.invoiceNotFound, "claiming an invoice that does not exist") { h in
            let buyer = try h.taxpayer(Taxpayers.buyer)
            return try h.run(.claimInvoice(h.invoiceAction("00000404")), by: buyer)
        },
        .init(.notInvoiceSeller, "the buyer reverses") { h in
            let seller = try h.taxpayer(Taxpayers.seller)
            let buyer = try h.taxpayer(Taxpayers.buyer)
            try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: seller))
            return try h.run(.reverseInvoice(h.invoiceAction("00000001", reason: "退货")), by: buyer)
        },
        .init(.notInvoiceBuyer, "the seller claims its own invoice") { h in
            let seller = try h.taxpayer(Taxpayers.seller)
            _ = try h.taxpayer(Taxpayers.buyer)
            try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: seller))
            return try h.run(.claimInvoice(h.invoiceAction("00000001")), by: seller)
        },
        .init(.invoiceNotClaimable, "claiming twice") { h in
            let seller = try h.taxpayer(Taxpayers.seller)
            let buyer = try h.taxpayer(Taxpayers.buyer)
            try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: seller))
            try h.expectOK(h.run(.claimInvoice(h.invoiceAction("00000001")), by: buyer))
            return try h.run(.claimInvoice(h.invoiceAction("00000001")), by: buyer)
        },
        .init(.invoiceNotClaimed, "reimbursing before claiming") { h in
            let seller = try h.taxpayer(Taxpayers.seller)
            let buyer = try h.taxpayer(Taxpayers.buyer)
            try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: seller))
            return try h.run(.reimburseInvoice(h.invoiceAction("00000001")), by: buyer)
        },
        .init(.invoiceAlreadyReimbursed, "reimbursing twice") { h in
            let seller = try h.taxpayer(Taxpayers.seller)
            let buyer = try h.taxpayer(Taxpayers.buyer)
            try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: seller))
            try h.expectOK(h.run(.claimInvoice(h.invoiceAction("00000001")), by: buyer))
            try h.expectOK(h.run(.reimburseInvoice(h.invoiceAction("00000001")), by: buyer))
            return try h.run(.reimburseInvoice(h.invoiceAction("00000001")), by: buyer)
        },
        .init(.invoiceReversed, "claiming a reversed invoice") { h in
            let seller = try h.taxpayer(Taxpayers.seller)
            let buyer = try h.taxpayer(Taxpayers.buyer)
            try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: seller))
            try h.expectOK(h.run(.reverseInvoice(h.invoiceAction("00000001", reason: "开错")), by: seller))
            return try h.run(.claimInvoice(h.invoiceAction("00000001")), by: buyer)
        },
        .init(.invoiceNotReversible, "reversing a reimbursed invoice") { h in
            let seller = try h.taxpayer(Taxpayers.seller)
            let buyer = try h.taxpayer(Taxpayers.buyer)
            try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: seller))
            try h.expectOK(h.run(.claimInvoice(h.invoiceAction("00000001")), by: buyer))
            try h.expectOK(h.run(.reimburseInvoice(h.invoiceAction("00000001")), by: buyer))
            return try h.run(.reverseInvoice(h.invoiceAction("00000001", reason: "退货")), by: seller)
        },
        .init(.buyerNotFound, "an invoice to an unregistered buyer") { h in
            let seller = try h.taxpayer(Taxpayers.seller)
            return try h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.other)), by: seller)
        },
    ]

    static func approved(_ h: LedgerHarness, _ action: GovernanceAction, by bureaus: [String], sequence: UInt64 = 0) throws -> LedgerOperation {
        let change = GovernanceChange(chainID: h.chain.chainID, sequence: sequence, action: action)
        return .governance(try ApprovedGovernanceChange(
            change: change,
            approvals: bureaus.map { try change.approval(by: BureauID($0), adminKey: h.admin($0), suite: h.suite) }))
    }

    static let governance: [ReasonScenario] = [
        .init(.governanceStale, "an approval for a future sequence") { h in
            try h.run(approved(h, .removeBureau(BureauID("samr")), by: ["gsdmb", "psb", "tax"], sequence: 5), by: h.admin("psb"))
        },
        .init(.governanceBadApproval, "an approval signed by the wrong key") { h in
            let change = GovernanceChange(chainID: h.chain.chainID, sequence: 0, action: .removeBureau(try BureauID("samr")))
            let forged = try change.approval(by: BureauID("tax"), adminKey: h.admin("psb"), suite: h.suite)
            let op = LedgerOperation.governance(try ApprovedGovernanceChange(
                change: change,
                approvals: [forged] + ["gsdmb", "psb"].map { try change.approval(by: BureauID($0), adminKey: h.admin($0), suite: h.suite) }))
            return try h.run(op, by: h.admin("psb"))
        },
        .init(.governanceQuorumNotMet, "two approvals of four bureaus") { h in
            try h.run(approved(h, .setRights(BureauID("samr"), LedgerHarness.rights([])), by: ["gsdmb", "psb"]), by: h.admin("psb"))
        },
        .init(.governanceTooFewBureaus, "removing one of four bureaus") { h in
            try h.run(approved(h, .removeBureau(BureauID("samr")), by: ["gsdmb", "psb", "tax"]), by: h.admin("psb"))
        },
        .init(.bureauDuplicate, "adding a bureau id that exists") { h in
            let bureau = try Bureau(
                id: BureauID("samr"), nameZh: "市场监管局", nameEn: "Market Supervision Administration",
                nodeKey: try h.newKey().publicKey.compressed, adminKey: try h.newKey().publicKey.compressed, rights: LedgerHarness.rights([]))
            return try h.run(approved(h, .addBureau(bureau), by: ["gsdmb", "psb", "tax"]), by: h.admin("psb"))
        },
        .init(.bureauNotFound, "changing the rights of a bureau that does not exist") { h in
            try h.run(approved(h, .setRights(BureauID("mca"), LedgerHarness.rights([])), by: ["gsdmb", "psb", "tax"]), by: h.admin("psb"))
        },
    ]
}
