import Foundation
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPI
import NodeAPIModel
import StateTree
import Testing

/// The `proof=true` forms of the reads: what they prove, the parameters they
/// take, and who may have a consent grant's proof. (The test backend certifies
/// its current state with a placeholder certificate; real certificates and the
/// client's checks are tested in CivicClientTests and EndToEndTests.)
@Suite("Proven reads (proof=true)")
struct ProofRouteTests {
    /// Checks every entry's proof against the test ledger's current root.
    static func entries(_ response: TestResponse, chain: TestChain) throws -> [(key: [UInt8], value: [UInt8]?)] {
        let answer = try JSONDecoder().decode(ProvenStateView.self, from: Data(response.body.readableBytesView))
        let root = try chain.ledger.head().stateRoot
        return try answer.entries.map { entry in
            let key = try #require(Hex.decode(entry.key))
            let value = entry.value.flatMap { Hex.decode($0) }
            let proof = try Canonical.decode(StateProof.self, from: Hex.decode(entry.proof) ?? [])
            let holds = proof.verify(key: key, value: value, root: root, hash: chain.suite)
            #expect(holds, "the proof of \(entry.key) does not hold")
            return (key, value)
        }
    }

    @Test("A licence's proof covers it, its type and every bureau; parameters are checked")
    func licence() async throws {
        let scene = try LicenceRouteTests.scene()
        let chain = scene.fixture.chain
        try await scene.fixture.test(.router) { client in
            let response = try await client.get("/v1/licences/\(scene.licence.hex)?proof=true")
            #expect(response.status == .ok)
            let entries = try Self.entries(response, chain: chain)
            let licenceKey = LedgerStateKey.licence(scene.licence).bytes
            #expect(entries.first?.key == licenceKey)
            #expect(entries.first?.value != nil)
            #expect(entries.count == 7, "licence, bureau set, four bureaus, licence type")
            // An unknown licence: its absence, proven.
            let absent = try await client.get("/v1/licences/\(String(repeating: "00", count: 32))?proof=true")
            #expect(absent.status == .ok)
            #expect(try Self.entries(absent, chain: chain).first?.value == nil)

            #expect(try await client.get("/v1/licences/\(scene.licence.hex)?proof=TRUE").errorCode() == "BAD_PARAMETER")
            #expect(try await client.get("/v1/licences/\(scene.licence.hex)?minHeight=1").errorCode() == "BAD_PARAMETER")
            #expect(try await client.get("/v1/licences/\(scene.licence.hex)?wait=10").errorCode() == "BAD_PARAMETER")
            let tooHigh = try await client.get("/v1/licences/\(scene.licence.hex)?proof=true&minHeight=18446744073709551615")
            let tooHighCode = try tooHigh.errorCode()
            #expect(tooHigh.status == .serviceUnavailable)
            #expect(tooHighCode == "UNAVAILABLE")
        }
    }

    @Test("A consent grant's proof is given only to a request signed by its office or holder")
    func consentNeedsASignature() async throws {
        let (scene, office) = try ConsentRouteTests.sceneWithUses()
        let fixture = scene.fixture
        let stranger = try fixture.chain.newKey()
        let body = #"{"licence":"\#(scene.licence.hex)","consent":"\#(scene.consent.hex)","office":"counter-1"}"#
        let target = "/v1/verify?proof=true"
        try await fixture.test(.router) { client in
            #expect(try await client.post(target, json: body).errorCode() == "BAD_REQUEST_SIGNATURE")
            let refused = try await client.post(target, json: body, headers: try fixture.signed(target, by: stranger, method: "POST"))
            let refusedCode = try refused.errorCode()
            #expect(refused.status == .forbidden)
            #expect(refusedCode == "NOT_HOLDER")
            for key in [office, scene.holder] {
                let answer = try await client.post(target, json: body, headers: try fixture.signed(target, by: key, method: "POST"))
                #expect(answer.status == .ok)
                let keys = try Self.entries(answer, chain: fixture.chain).map(\.key)
                #expect(keys.contains(LedgerStateKey.consent(scene.consent).bytes))
            }
            // Without a consent there is nothing private in it: no signature needed.
            let plain = try await client.post(target, json: #"{"licence":"\#(scene.licence.hex)"}"#)
            #expect(plain.status == .ok)
        }
    }

    @Test("A receipt's proof is the state's record of it; an absent invoice is a proven absence")
    func receiptAndInvoice() async throws {
        let fixture = try APIFixture()
        let chain = fixture.chain
        let office = try chain.newKey()
        let register = try chain.tx(chain.registration(.office(OfficeID("counter-9")!), key: office), by: chain.admin("gsdmb"))
        try fixture.backend.run([register])
        try await fixture.test(.router) { client in
            let receipt = try await client.get("/v1/transactions/\(chain.id(register).hex)/receipt?proof=true")
            #expect(receipt.status == .ok)
            let entries = try Self.entries(receipt, chain: chain)
            let receiptKey = LedgerStateKey.receipt(chain.id(register)).bytes
            #expect(entries.map(\.key) == [receiptKey])
            #expect(entries.first?.value != nil)
            let invoice = try await client.get("/v1/invoices/144031900111/00000077?proof=true")
            #expect(invoice.status == .ok)
            #expect(try Self.entries(invoice, chain: chain).map(\.value) == [nil])
        }
    }
}
