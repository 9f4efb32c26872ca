import LedgerCore
import LedgerState
import Testing

@Suite("Queries")
struct QueryTests {
    @Test("The 免证办 counter check passes with consent, digest and validity, and explains each failure")
    func counterCheck() throws {
        let h = try LedgerHarness(seed: 41)
        let holder = try h.newKey()
        _ = try h.office("counter-1")
        let licence = try h.issue("RESIDENT_ID_CARD", to: holder, by: "psb")
        let grant = try h.grant([licence], office: "counter-1", holder: holder, maxUses: 1)
        try h.expectOK(h.run(.grantConsent(grant), by: holder))
        let consent = grant.grant.id(using: h.suite)
        let document = h.suite.digest(Array("document".utf8))

        let good = try h.queries { q in
            try q.verify(VerificationRequest(subject: .holder(holder.publicKey.compressed, try LicenceTypeCode("RESIDENT_ID_CARD")), presentedDigest: document, consent: consent, office: OfficeID("counter-1")!))
        }
        #expect(good.passed)
        #expect(good.checks.map(\.name) == [.licenceFound, .issuerAuthorised, .status, .validityWindow, .documentDigest, .consentValid, .usesLeft])
        #expect(good.licence?.id == licence)

        let wrongDocument = try h.queries { q in
            try q.verify(VerificationRequest(subject: .licence(licence), presentedDigest: h.suite.digest([1]), consent: consent, office: OfficeID("counter-2")!))
        }
        #expect(!wrongDocument.passed)
        let failed = Dictionary(uniqueKeysWithValues: wrongDocument.checks.filter { !$0.passed }.map { ($0.name, $0.code) })
        #expect(failed == [.documentDigest: .invalidField, .consentValid: .consentWrongOffice])

        try h.expectOK(h.run(.revokeLicence(LicenceStatusChange(licence: licence, reason: "")), by: h.admin("psb")))
        let revoked = try h.queries { q in
            try q.verify(VerificationRequest(subject: .licence(licence), presentedDigest: nil, consent: nil, office: nil))
        }
        #expect(revoked.checks.first { $0.name == .status }?.code == .licenceRevoked)
        #expect(!revoked.passed)

        let missing = try h.queries { q in
            try q.verify(VerificationRequest(subject: .licence(LicenceID(h.suite.digest([3]))), presentedDigest: nil, consent: nil, office: nil))
        }
        #expect(missing.checks.map(\.code) == [.licenceNotFound])
    }

    @Test("A seller's invoices page by date range with a cursor, in issue order")
    func invoicePaging() throws {
        let h = try LedgerHarness(seed: 42)
        let seller = try h.taxpayer(Taxpayers.seller)
        _ = try h.taxpayer(Taxpayers.buyer)
        var issuedAt: [UInt64] = []
        for n in 10..<17 {
            try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("000000\(n)", buyer: Taxpayers.buyer)), by: seller, advance: 60_000))
            issuedAt.append(h.time)
        }
        let seller_ = LedgerQueries.InvoiceParty.seller(TaxpayerID(Taxpayers.seller)!)
        let all = try h.queries { try $0.invoices(seller_) }
        #expect(all.invoices.map(\.id.number) == (10..<17).map { "000000\($0)" })
        #expect(all.next == nil)

        // Issued in [third, sixth): three invoices, paged two at a time.
        let first = try h.queries { try $0.invoices(seller_, fromMillis: issuedAt[2], toMillis: issuedAt[5], limit: 2) }
        #expect(first.invoices.map(\.id.number) == ["00000012", "00000013"])
        let cursor = try #require(first.next)
        let second = try h.queries { try $0.invoices(seller_, fromMillis: issuedAt[2], toMillis: issuedAt[5], after: cursor, limit: 2) }
        #expect(second.invoices.map(\.id.number) == ["00000014"])
        #expect(second.next == nil)

        let buyer = try h.queries { try $0.invoices(.buyer(TaxpayerID(Taxpayers.buyer)!)) }
        #expect(buyer.invoices.count == 7)
        #expect(try h.queries { try $0.invoices(.buyer(TaxpayerID(Taxpayers.seller)!)) }.invoices.isEmpty)
    }

    @Test("What each organisation may do: bureaus with their rights, registered entities with their registrar")
    func organisations() throws {
        let h = try LedgerHarness(seed: 43)
        _ = try h.office("counter-1")
        _ = try h.taxpayer(Taxpayers.seller)
        try h.queries { q in
            let bureaus = try q.bureaus()
            #expect(bureaus.map(\.id.value) == ["gsdmb", "psb", "samr", "tax"])
            let psb = try #require(bureaus.first { $0.id.value == "psb" })
            #expect(psb.rights.licenceTypes.map(\.value) == ["DRIVING_LICENCE", "RESIDENT_ID_CARD"])
            #expect(bureaus.first { $0.id.value == "tax" }?.rights.registersTaxpayers == true)
            #expect(try q.entities(.office).map(\.registeredBy.value) == ["gsdmb"])
            #expect(try q.entities(.taxpayer).map(\.subject) == [.taxpayer(TaxpayerID(Taxpayers.seller)!)])
            #expect(try q.owner(of: h.admin("psb").publicKey.compressed) == .bureauAdmin(BureauID("psb")))
            #expect(try q.licenceType(LicenceTypeCode("RESIDENT_ID_CARD"))?.nameZh == "居民身份证")
        }
    }

    @Test("Receipts of a block come back in block order, refusals included")
    func blockReceipts() throws {
        let h = try LedgerHarness(seed: 44)
        let ok = try h.tx(.issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: try h.newKey())), by: h.admin("psb"))
        let refused = try h.tx(.issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: try h.newKey())), by: h.admin("samr"))
        let receipts = try h.block([ok, refused])
        let height = try h.ledger.head().height
        #expect(try h.queries { try $0.receipts(at: height) } == receipts)
        #expect(receipts.map(\.code) == [.ok, .notAuthorisedForLicenceType])
    }
}
