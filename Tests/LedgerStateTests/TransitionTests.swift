import LedgerCore
import LedgerState
import Testing

@Suite("Transitions")
struct TransitionTests {
    @Test("A licence goes active → suspended → active → superseded, and the replacement links back")
    func licenceLifecycle() throws {
        let h = try LedgerHarness(seed: 11)
        let holder = try h.newKey()
        let id = try h.issue("DRIVING_LICENCE", to: holder, by: "psb")
        #expect(try h.queries { try $0.licence(id)?.status } == .active)
        try h.expectOK(h.run(.suspendLicence(LicenceStatusChange(licence: id, reason: "记满12分")), by: h.admin("psb")))
        #expect(try h.queries { try $0.licence(id)?.status } == .suspended)
        try h.expectOK(h.run(.reinstateLicence(LicenceStatusChange(licence: id, reason: "学习考试合格")), by: h.admin("psb")))
        #expect(try h.queries { try $0.licence(id)?.status } == .active)
        let receipt = try h.expectOK(h.run(
            .supersedeLicence(LicenceSupersession(old: id, replacement: h.licenceIssue("DRIVING_LICENCE", holder: holder))),
            by: h.admin("psb")))
        let replacement = LicenceID(issuedBy: receipt.transaction)
        let (old, new) = try h.queries { q in (try q.licence(id), try q.licence(replacement)) }
        #expect(old?.status == .superseded)
        #expect(old?.supersededBy == replacement)
        #expect(new?.supersedes == id)
        #expect(new?.status == .active)
        #expect(try h.queries { try $0.licences(holder: holder.publicKey.compressed).count } == 2)
    }

    @Test("A suspended licence can be revoked, and revocation is final")
    func revokeFromSuspended() throws {
        let h = try LedgerHarness(seed: 12)
        let id = try h.issue("RESIDENT_ID_CARD", to: try h.newKey(), by: "psb")
        try h.expectOK(h.run(.suspendLicence(LicenceStatusChange(licence: id, reason: "")), by: h.admin("psb")))
        try h.expectOK(h.run(.revokeLicence(LicenceStatusChange(licence: id, reason: "注销")), by: h.admin("psb")))
        #expect(try h.run(.reinstateLicence(LicenceStatusChange(licence: id, reason: "")), by: h.admin("psb")).code == .licenceRevoked)
    }

    @Test("Consent: grant, two uses recorded for the holder to see, then revoked by the holder")
    func consentLifecycle() throws {
        let h = try LedgerHarness(seed: 13)
        let holder = try h.newKey()
        let office = try h.office("gsdmb-counter-01")
        let licence = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
        let grant = try h.grant([licence], office: "gsdmb-counter-01", holder: holder, maxUses: 2)
        let consentID = grant.grant.id(using: h.suite)
        // The counter may submit the holder-signed grant on the holder's behalf.
        try h.expectOK(h.run(.grantConsent(grant), by: office))
        let use = LedgerOperation.useConsent(ConsentAction(consent: consentID, licence: licence))
        try h.expectOK(h.run(use, by: office))
        try h.expectOK(h.run(use, by: office))
        let (record, uses, listed) = try h.queries { q in
            (try q.consent(consentID), try q.uses(of: consentID), try q.consents(holder: holder.publicKey.compressed))
        }
        #expect(record?.uses == 2)
        #expect(record?.usesLeft == 0)
        #expect(uses.map(\.office) == [OfficeID("gsdmb-counter-01")!, OfficeID("gsdmb-counter-01")!])
        // Paging: the second use on its own, then nothing past the end.
        #expect(try h.queries { try $0.uses(of: consentID, from: 1) }.map(\.transaction) == [uses[1].transaction])
        #expect(try h.queries { try $0.uses(of: consentID, from: 2) }.isEmpty)
        #expect(listed.map(\.id) == [consentID])
        try h.expectOK(h.run(.revokeConsent(ConsentAction(consent: consentID, licence: nil)), by: holder))
        #expect(try h.queries { try $0.consent(consentID)?.revoked } == true)
    }

    @Test("A licence suspended after the grant makes the next use fail with LICENCE_SUSPENDED")
    func useChecksLicenceStatusAtUseTime() throws {
        let h = try LedgerHarness(seed: 14)
        let holder = try h.newKey()
        let office = try h.office("counter-1")
        let licence = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
        let grant = try h.grant([licence], office: "counter-1", holder: holder)
        try h.expectOK(h.run(.grantConsent(grant), by: holder))
        try h.expectOK(h.run(.suspendLicence(LicenceStatusChange(licence: licence, reason: "")), by: h.admin("psb")))
        let receipt = try h.run(.useConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: licence)), by: office)
        #expect(receipt.code == .licenceSuspended)
        #expect(try h.queries { try $0.consent(grant.grant.id(using: h.suite))?.uses } == 0)
    }

    @Test("An invoice's trace lists issue, claim and reimbursement with their actors")
    func invoiceTrace() throws {
        let h = try LedgerHarness(seed: 15)
        let seller = try h.taxpayer(Taxpayers.seller)
        let buyer = try h.taxpayer(Taxpayers.buyer)
        try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000042", buyer: Taxpayers.buyer, amount: 123_456, tax: 7_407)), by: seller))
        try h.expectOK(h.run(.claimInvoice(h.invoiceAction("00000042")), by: buyer))
        try h.expectOK(h.run(.reimburseInvoice(h.invoiceAction("00000042", reason: "差旅报销")), by: buyer))
        let trace = try #require(try h.queries { try $0.invoice(InvoiceID("144032400110-00000042")!) })
        #expect(trace.invoice.status == .reimbursed)
        #expect(trace.invoice.issued.amountFen == 123_456)
        #expect(trace.events.map(\.status) == [.issued, .claimed, .reimbursed])
        #expect(trace.events.map(\.actor) == [seller, buyer, buyer].map(\.publicKey.compressed))
        #expect(trace.events[2].reason == "差旅报销")
    }

    @Test("红冲 works from issued and from claimed", arguments: [false, true])
    func reverse(afterClaim: Bool) throws {
        let h = try LedgerHarness(seed: 16)
        let seller = try h.taxpayer(Taxpayers.seller)
        let buyer = try h.taxpayer(Taxpayers.buyer)
        try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000001", buyer: Taxpayers.buyer)), by: seller))
        if afterClaim { try h.expectOK(h.run(.claimInvoice(h.invoiceAction("00000001")), by: buyer)) }
        try h.expectOK(h.run(.reverseInvoice(h.invoiceAction("00000001", reason: "开票有误")), by: seller))
        #expect(try h.queries { try $0.invoice(InvoiceID("144032400110-00000001")!)?.invoice.status } == .reversed)
    }

    @Test("Registry: an office's key is rotated by its registrar after loss, and the old key is retired")
    func rotateByRegistrar() throws {
        let h = try LedgerHarness(seed: 17)
        let old = try h.office("counter-1")
        let new = try h.newKey()
        let subject = RegistrySubject.office(OfficeID("counter-1")!)
        try h.expectOK(h.run(.rotateKey(KeyRotation(subject: .registered(subject), newKey: new.publicKey.compressed)), by: h.admin("gsdmb")))
        #expect(try h.queries { try $0.entity(subject)?.key } == new.publicKey.compressed)
        // The old key no longer acts for the office…
        let holder = try h.newKey()
        let licence = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
        let grant = try h.grant([licence], office: "counter-1", holder: holder)
        try h.expectOK(h.run(.grantConsent(grant), by: holder))
        let use = LedgerOperation.useConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: licence))
        #expect(try h.run(use, by: old).code == .consentWrongOffice)
        try h.expectOK(h.run(use, by: new))
        // …and cannot be registered again in another role.
        let reuse = try Registration(subject: .office(OfficeID("counter-2")!), name: "x", key: old.publicKey.compressed)
        #expect(try h.run(.register(reuse), by: h.admin("gsdmb")).code == .keyInUse)
    }

    @Test("A bureau rotates its own admin key; the old admin key stops working")
    func rotateBureauAdmin() throws {
        let h = try LedgerHarness(seed: 18)
        let oldAdmin = h.admin("psb")
        let newAdmin = try h.newKey()
        try h.expectOK(h.run(.rotateKey(KeyRotation(subject: .bureauAdmin(BureauID("psb")), newKey: newAdmin.publicKey.compressed)), by: oldAdmin))
        let issue = h.licenceIssue("RESIDENT_ID_CARD", holder: try h.newKey())
        #expect(try h.run(.issueLicence(issue), by: oldAdmin).code == .notABureau)
        try h.expectOK(h.run(.issueLicence(issue), by: newAdmin))
    }

    @Test("Governance: 2f+1 bureaus add a bureau, grant it a licence type, and it issues; a removal follows")
    func governance() throws {
        let h = try LedgerHarness(seed: 19)
        let admin = try h.newKey()
        let mca = try Bureau(
            id: BureauID("mca"), nameZh: "民政局", nameEn: "Civil Affairs Bureau", nodeKey: try h.newKey().publicKey.compressed,
            adminKey: admin.publicKey.compressed, rights: LedgerHarness.rights([]))
        try h.expectOK(h.run(ReasonScenario.approved(h, .addBureau(mca), by: ["gsdmb", "psb", "tax"]), by: h.admin("psb")))
        #expect(try h.queries { try $0.bureaus().map(\.id.value) } == ["gsdmb", "mca", "psb", "samr", "tax"])
        let issue = h.licenceIssue("MARRIAGE_CERTIFICATE", holder: try h.newKey())
        #expect(try h.run(.issueLicence(issue), by: admin).code == .notAuthorisedForLicenceType)
        // n = 5 now, f = 1, so 2f+1 = 3 approvals still suffice.
        try h.expectOK(h.run(
            ReasonScenario.approved(h, .setRights(BureauID("mca"), LedgerHarness.rights(["MARRIAGE_CERTIFICATE"])), by: ["gsdmb", "psb", "samr"], sequence: 1),
            by: h.admin("psb")))
        try h.expectOK(h.run(.issueLicence(issue), by: admin))
        // A used approval cannot be replayed: its sequence is spent.
        #expect(try h.run(ReasonScenario.approved(h, .removeBureau(BureauID("mca")), by: ["gsdmb", "psb", "samr"], sequence: 1), by: h.admin("psb")).code == .governanceStale)
        try h.expectOK(h.run(ReasonScenario.approved(h, .removeBureau(BureauID("mca")), by: ["gsdmb", "psb", "samr"], sequence: 2), by: h.admin("psb")))
        #expect(try h.run(.issueLicence(issue), by: admin).code == .notABureau)
    }
}
