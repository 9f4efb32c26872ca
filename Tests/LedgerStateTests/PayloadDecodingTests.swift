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
            .reinstateLicence(try LicenceStatusChange(licence: licence, reason: "找回")),
            .revokeLicence(try LicenceStatusChange(licence: licence, reason: "注销")),
            .supersedeLicence(LicenceSupersession(old: licence, replacement: h.licenceIssue("RESIDENT_ID_CARD", holder: holder))),
            .grantConsent(grant),
            .useConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: licence)),
            .revokeConsent(ConsentAction(consent: grant.grant.id(using: h.suite), licence: nil)),
            .issueInvoice(try h.invoiceIssue("00000001", buyer: Taxpayers.buyer, amount: 1_234_567, tax: 0)),
            .reverseInvoice(try h.invoiceAction("00000001", reason: "红冲")),
            .claimInvoice(try h.invoiceAction("00000001")),
            .reimburseInvoice(try h.invoiceAction("00000001", reason: "差旅")),
            try ReasonScenario.approved(h, .removeBureau(BureauID("samr")), by: ["gsdmb", "psb", "tax"], sequence: 9),
            try ReasonScenario.approved(h, .addBureau(bureau), by: ["gsdmb", "psb", "tax"], sequence: 3),
            try ReasonScenario.approved(h, .setRights(BureauID("samr"), LedgerHarness.rights([])), by: ["gsdmb", "psb", "tax"]),
        ]
    }

    @Test("Every kind round-trips through its payload bytes")
    func roundTrip() throws {
        let h = try LedgerHarness(seed: 61)
        let samples = try Self.samples(h)
        #expect(Set(samples.map(\.kind)) == Set(TransactionKind.allCases))
        for operation in samples {
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

    @Test("A payload one byte over its type's cap is refused as too large, before parsing")
    func oversize() throws {
        let h = try LedgerHarness(seed: 63)
        for operation in try Self.samples(h) {
            // A valid encoding padded inside its SEQUENCE to one byte over the
            // cap: only the size check can refuse it for its size.
            let cap = Self.cap(of: operation.kind)
            let body = [UInt8](repeating: 0, count: cap + 1 - 6)
            let length = UInt32(body.count)
            let bytes: [UInt8] = [0x30, 0x84] + (0..<4).map { UInt8(truncatingIfNeeded: length >> (24 - 8 * $0)) } + body
            #expect(bytes.count == cap + 1)
            #expect {
                _ = try LedgerOperation.decode(kind: operation.kind.rawValue, payload: bytes)
            } throws: { error in
                guard case let OperationDecodingError.malformed(_, .tooLarge(_, size, limit)) = error else { return false }
                return size == cap + 1 && limit == cap
            }
        }
    }

    static func cap(of kind: TransactionKind) -> Int {
        switch kind {
        case .register: return Registration.maxEncodedSize
        case .disable: return Disablement.maxEncodedSize
        case .rotateKey: return KeyRotation.maxEncodedSize
        case .issueLicence: return LicenceIssue.maxEncodedSize
        case .suspendLicence, .reinstateLicence, .revokeLicence: return LicenceStatusChange.maxEncodedSize
        case .supersedeLicence: return LicenceSupersession.maxEncodedSize
        case .grantConsent: return SignedConsentGrant.maxEncodedSize
        case .revokeConsent, .useConsent: return ConsentAction.maxEncodedSize
        case .issueInvoice: return InvoiceIssue.maxEncodedSize
        case .claimInvoice, .reimburseInvoice, .reverseInvoice: return InvoiceAction.maxEncodedSize
        case .governance: return ApprovedGovernanceChange.maxEncodedSize
        }
    }
}
