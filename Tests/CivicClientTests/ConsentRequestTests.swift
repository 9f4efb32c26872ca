import CivicClient
import LedgerCore
import LedgerCrypto
import LedgerState
import Testing

@Suite("Consent request payload")
struct ConsentRequestTests {
    func sample(purpose: String = "企业开户 open an account & more") throws -> ConsentRequest {
        try ConsentRequest(
            chainID: ChainID("civic-devnet")!, office: OfficeID("futian-counter-1")!,
            licenceTypes: [try LicenceTypeCode("RESIDENT_ID_CARD"), try LicenceTypeCode("BUSINESS_LICENCE")],
            purpose: purpose, notAfterMillis: 1_796_400_000_000, maxUses: 2, nonce: 42)
    }

    @Test("The payload reads back to the same request; Chinese and reserved characters survive")
    func roundTrip() throws {
        let request = try sample()
        #expect(request.payload.hasPrefix("civicledger:consent?v=1&chain=civic-devnet&office=futian-counter-1&types=RESIDENT_ID_CARD,BUSINESS_LICENCE&purpose=%E4%BC%81"))
        #expect(try ConsentRequest(payload: request.payload) == request)
        #expect(try ConsentRequest(payload: "  " + request.payload + "\n") == request)
    }

    @Test("The grant a holder signs names the request's office, purpose, expiry, uses and nonce")
    func grant() throws {
        let request = try sample()
        let holder = try CryptoSuites.standard.generatePrivateKey().publicKey.compressed
        let licences = [LicenceID(Digest(unchecked: [UInt8](repeating: 2, count: 32))), LicenceID(Digest(unchecked: [UInt8](repeating: 1, count: 32)))]
        let grant = try request.grant(holder: holder, licences: licences)
        #expect(grant.office == request.office && grant.purpose == request.purpose && grant.notAfter == request.notAfterMillis)
        #expect(grant.maxUses == 2 && grant.nonce == 42 && grant.holder == holder && Set(grant.licences) == Set(licences))
    }

    @Test("Malformed payloads are refused with what is wrong", arguments: [
        ("https://example.com/?v=1", "must start with"),
        ("civicledger:consent?v=2&chain=civic-devnet&office=o1&types=RESIDENT_ID_CARD&purpose=x&until=1&uses=1&nonce=1", "version 2"),
        ("civicledger:consent?v=1&chain=civic-devnet&office=o1&types=RESIDENT_ID_CARD&purpose=x&until=1&uses=1", "no nonce"),
        ("civicledger:consent?v=1&chain=civic-devnet&office=Bad Office&types=RESIDENT_ID_CARD&purpose=x&until=1&uses=1&nonce=1", "office"),
        ("civicledger:consent?v=1&chain=civic-devnet&office=o1&types=resident&purpose=x&until=1&uses=1&nonce=1", "types"),
        ("civicledger:consent?v=1&chain=civic-devnet&office=o1&types=RESIDENT_ID_CARD&purpose=x&until=1&uses=0&nonce=1", "uses"),
        ("civicledger:consent?v=1&chain=civic-devnet&office=o1&types=RESIDENT_ID_CARD&purpose=%E4&until=1&uses=1&nonce=1", "%-escape"),
        ("civicledger:consent?v=1&v=1&chain=civic-devnet", "twice"),
        ("civicledger:consent?v=1&colour=red", "not a field"),
        // An escape sequence that would redraw the lines above the holder's prompt.
        ("civicledger:consent?v=1&chain=civic-devnet&office=o1&types=RESIDENT_ID_CARD&purpose=ok%1B%5B2A%0Auses%3A%201&until=1&uses=1&nonce=1", "printable"),
        ("civicledger:consent?v=1&chain=civic-devnet&office=o1&types=RESIDENT_ID_CARD&purpose=%E2%80%AEtxet&until=1&uses=1&nonce=1", "printable"),
        ("civicledger:consent?v=1&chain=civic-devnet&office=o1&types=RESIDENT_ID_CARD&purpose=x&until=-1&uses=1&nonce=1", "decimal"),
        ("civicledger:consent?" + String(repeating: "a", count: 2000), "at most"),
    ])
    func malformed(payload: String, problem: String) {
        do {
            _ = try ConsentRequest(payload: payload)
            Issue.record("accepted \(payload)")
        } catch {
            #expect(error.description.contains(problem), "\(error)")
        }
    }
}
