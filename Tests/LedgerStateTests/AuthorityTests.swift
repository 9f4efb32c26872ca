import LedgerCore
import LedgerState
import LedgerStore
import Testing

/// What a bureau may still do after governance changed it, and that a broken
/// store stops a block instead of becoming a refusal.
@Suite("Authority after governance, and faults")
struct AuthorityTests {
    private func addCivilAffairs(_ h: LedgerHarness) throws -> LedgerHarness.Key {
        let admin = try h.newKey()
        let mca = try Bureau(
            id: BureauID("mca"), nameZh: "民政局", nameEn: "Civil Affairs Bureau", nodeKey: try h.newKey().publicKey.compressed,
            adminKey: admin.publicKey.compressed, rights: LedgerHarness.rights(["MARRIAGE_CERTIFICATE"]))
        try h.expectOK(h.run(ReasonScenario.approved(h, .addBureau(mca), by: ["gsdmb", "psb", "tax"]), by: h.admin("psb")))
        return admin
    }

    @Test("A licence of a removed bureau can no longer be used under consent")
    func removedIssuer() throws {
        let h = try LedgerHarness(seed: 71)
        let mca = try addCivilAffairs(h)
        let holder = try h.newKey()
        let office = try h.office("counter-1")
        let licence = try h.issue("MARRIAGE_CERTIFICATE", to: holder, by: "gsdmb")
        _ = mca
        let ownLicence = try h.expectOK(h.run(.issueLicence(h.licenceIssue("MARRIAGE_CERTIFICATE", holder: holder)), by: mca))
        let mcaLicence = LicenceID(issuedBy: ownLicence.transaction)
        let grant = try h.grant([licence, mcaLicence], office: "counter-1", holder: holder)
        try h.expectOK(h.run(.grantConsent(grant), by: holder))
        try h.expectOK(h.run(ReasonScenario.approved(h, .removeBureau(BureauID("mca")), by: ["gsdmb", "psb", "samr"], sequence: 1), by: h.admin("psb")))
        let id = grant.grant.id(using: h.suite)
        #expect(try h.run(.useConsent(ConsentAction(consent: id, licence: mcaLicence)), by: office).code == .notAuthorisedForLicenceType)
        try h.expectOK(h.run(.useConsent(ConsentAction(consent: id, licence: licence)), by: office))

        // The counter check reads the issuer's record alone. A removed bureau
        // has none, so the check says "not authorised", on the node's state
        // and on proven values alone (a light client), with the same words.
        let question = VerificationRequest(subject: .licence(mcaLicence), presentedDigest: nil, consent: nil, office: nil)
        let (onNode, proven) = try h.queries { queries in
            let keys = try LedgerStateKey.counterCheck(licence: mcaLicence, consent: nil, in: queries)
            #expect(keys.contains(.bureau(try BureauID("mca"))), "the removed issuer's absence is proven")
            var values: [LedgerStateKey: [UInt8]?] = [:]
            for key in keys { values[key] = try queries.prove(key).value }
            let snapshot = ProvenSnapshot(values: values, head: try queries.head())
            let light = LedgerQueries(proven: snapshot, chain: h.chain)
            return (try queries.verify(question), try light.verify(question))
        }
        let issuer = onNode.checks.first { $0.name == .issuerAuthorised }
        #expect(issuer?.passed == false)
        #expect(issuer?.code == .notAuthorisedForLicenceType)
        #expect(proven.checks.map(\.passed) == onNode.checks.map(\.passed))
        #expect(proven.checks.map(\.detail) == onNode.checks.map(\.detail))
    }

    @Test("A removed bureau's id is retired and cannot be added again")
    func retiredID() throws {
        let h = try LedgerHarness(seed: 72)
        _ = try addCivilAffairs(h)
        try h.expectOK(h.run(ReasonScenario.approved(h, .removeBureau(BureauID("mca")), by: ["gsdmb", "psb", "samr"], sequence: 1), by: h.admin("psb")))
        let again = try Bureau(
            id: BureauID("mca"), nameZh: "民政局", nameEn: "Civil Affairs Bureau", nodeKey: try h.newKey().publicKey.compressed,
            adminKey: try h.newKey().publicKey.compressed, rights: LedgerHarness.rights([]))
        let receipt = try h.run(ReasonScenario.approved(h, .addBureau(again), by: ["gsdmb", "psb", "samr"], sequence: 2), by: h.admin("psb"))
        #expect(receipt.code == .bureauDuplicate)
    }

    @Test("Without the right to issue a type, a bureau may still suspend and revoke its licences but not reinstate them")
    func withdrawnRights() throws {
        let h = try LedgerHarness(seed: 73)
        let a = try h.issue("RESIDENT_ID_CARD", to: try h.newKey(), by: "psb")
        try h.expectOK(h.run(.suspendLicence(LicenceStatusChange(licence: a, reason: "")), by: h.admin("psb")))
        try h.expectOK(h.run(ReasonScenario.approved(h, .setRights(BureauID("psb"), LedgerHarness.rights(["DRIVING_LICENCE"])), by: ["gsdmb", "samr", "tax"]), by: h.admin("psb")))
        #expect(try h.run(.reinstateLicence(LicenceStatusChange(licence: a, reason: "")), by: h.admin("psb")).code == .notAuthorisedForLicenceType)
        try h.expectOK(h.run(.revokeLicence(LicenceStatusChange(licence: a, reason: "")), by: h.admin("psb")))
    }

    @Test("A store error while checking a registrar's rotation stops the block; it never becomes a receipt")
    func faultIsNotARefusal() throws {
        let h = try LedgerHarness(seed: 74)
        _ = try h.office("counter-1")
        let rotation = try h.tx(
            .rotateKey(KeyRotation(subject: .registered(.office(OfficeID("counter-1")!)), newKey: try h.newKey().publicKey.compressed)),
            by: h.admin("gsdmb"))
        let block = try h.ledger.nextBlock(transactions: [rotation], timeMillis: h.time + 1, proposer: Address(unchecked: [UInt8](repeating: 0, count: 20)))
        let snapshot = try h.ledger.store.snapshot()
        defer { snapshot.close() }
        let failing = FailingReader(base: snapshot, failingKey: [0x02] + h.admin("gsdmb").publicKey.compressed.bytes)
        #expect {
            _ = try h.ledger.executor.execute(block, on: failing, signatures: .verify)
        } throws: { error in
            guard case LedgerError.fault(.store) = error else { return false }
            return true
        }
        // The same block on a healthy store is accepted.
        #expect(try h.ledger.apply(block).receipts.map(\.code) == [.ok])
    }
}

/// A reader whose `get` of one key fails, as a broken disk would.
struct FailingReader: KeyValueReader {
    let base: any KeyValueReader
    let failingKey: [UInt8]

    func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StoreError) -> [UInt8]? {
        if key == failingKey { throw .io(reason: "injected read failure") }
        return try base.get(key, in: columnFamily)
    }

    func scan(_ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int) throws(StoreError) -> [KeyValuePair] {
        try base.scan(columnFamily, range: range, limit: limit, reverse: reverse, maxBytes: maxBytes)
    }
}
