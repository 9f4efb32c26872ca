import LedgerCore
import LedgerState
import LedgerTesting
import Testing

/// Payloads arrive from anyone: their decoders must be total, and whatever
/// they accept must be the one canonical encoding.
@Suite("Payload decoding")
struct PayloadDecodingTests {
    static func samples(_ h: LedgerHarness) throws -> [LedgerOperation] {
        let holder = try h.newKey()
        let licence = LicenceID(h.suite.digest([1]))
        let grant = try h.grant([licence, LicenceID(h.suite.digest([2]))], office: "counter-1", holder: holder)
        let bureau = try Bureau(
            id: BureauID("mca"), nameZh: "民政局", nameEn: "Civil Affairs Bureau", nodeKey: try h.newKey().publicKey.compressed,
            adminKey: try h.newKey().publicKey.compressed, rights: LedgerHarness.rights(["MARRIAGE_CERTIFICATE"], offices: true))
        return [
            .register(try Registration(subject: .taxpayer(TaxpayerID(Taxpayers.seller)!), name: "深圳某公司", key: holder.publicKey.compressed)),
            .disable(try Disablement(subject: .office(OfficeID("counter-1")!), reason: "撤并")),
            .rotateKey(KeyRotation(subject: .bureauNode(try BureauID("psb")), newKey: holder.publicKey.compressed)),
            .issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: holder, until: 2_000_000_000_000)),
            .suspendLicence(try LicenceStatusChange(licence: licence, reason: "挂失")),
            .supersedeLicence(LicenceSupersession(old: licence, replacement: h.licenceIssue("RESIDENT_ID_CARD", holder: holder))),
            .grantConsent(grant),
            .useConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: licence)),
            .revokeConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: nil)),
            .issueInvoice(try h.invoiceIssue("00000001", buyer: Taxpayers.buyer, amount: 1_234_567, tax: 0)),
            .reverseInvoice(try h.invoiceAction("00000001", reason: "红冲")),
            try ReasonScenario.approved(h, .addBureau(bureau), by: ["gsdmb", "psb", "tax"], sequence: 3),
            try ReasonScenario.approved(h, .setRights(BureauID("samr"), LedgerHarness.rights([])), by: ["gsdmb", "psb", "tax"]),
        ]
    }

    @Test("Every kind round-trips through its payload bytes")
    func roundTrip() throws {
        let h = try LedgerHarness(seed: 61)
        for operation in try Self.samples(h) {
            #expect(try LedgerOperation.decode(kind: operation.kind.rawValue, payload: operation.payload) == operation)
        }
    }

    @Test("Random mutations never trap; an accepted mutation re-encodes to exactly its bytes")
    func mutations() throws {
        let h = try LedgerHarness(seed: 62)
        var rng = SeededGenerator(seed: 62)
        var accepted = 0
        for operation in try Self.samples(h) {
            let payload = operation.payload
            for _ in 0..<300 {
                var bytes = payload
                switch Int.random(in: 0..<4, using: &rng) {
                case 0: bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                case 1: bytes.removeLast(Int.random(in: 1...min(8, bytes.count), using: &rng))
                case 2: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: Int.random(in: 0...bytes.count, using: &rng))
                default: bytes = rng.bytes(Int.random(in: 0...64, using: &rng))
                }
                guard let decoded = try? LedgerOperation.decode(kind: operation.kind.rawValue, payload: bytes) else { continue }
                accepted += 1
                #expect(decoded.payload == bytes)
            }
        }
        // Flipping bytes inside names and digests gives other valid payloads,
        // so some mutations must pass; none may pass in a second encoding.
        #expect(accepted > 0)
    }

    @Test("Payloads over their caps are refused before parsing")
    func oversize() throws {
        for kind in TransactionKind.allCases {
            #expect(throws: OperationDecodingError.self) {
                _ = try LedgerOperation.decode(kind: kind.rawValue, payload: [UInt8](repeating: 0x30, count: 70_000))
            }
        }
    }
}
