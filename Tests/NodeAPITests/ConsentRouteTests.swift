import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPI
import NodeAPIModel
import Testing

@Suite("Holder-only consent reads behind signed requests")
struct ConsentRouteTests {
    /// The holder's grant, used twice by the office.
    static func sceneWithUses() throws -> (LicenceRouteTests.Scene, office: PrivateKey) {
        let fixture = try APIFixture()
        let chain = fixture.chain
        let holder = try chain.newKey()
        let office = try chain.newKey()
        let issue = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: holder)), by: chain.admin("psb"))
        try fixture.backend.run([
            try chain.tx(chain.registration(.office(OfficeID("counter-1")!), key: office), by: chain.admin("gsdmb")), issue,
        ])
        let licence = LicenceID(issuedBy: chain.id(issue))
        let grant = try chain.grant([licence], office: "counter-1", holder: holder, maxUses: 5)
        try fixture.backend.run([try chain.tx(.grantConsent(grant), by: holder)])
        let consent = grant.grant.id(using: chain.suite)
        for _ in 0..<3 {
            try fixture.backend.run([try chain.tx(.useConsent(ConsentAction(consent: consent, licence: licence)), by: office)])
        }
        return (LicenceRouteTests.Scene(fixture: fixture, holder: holder, office: office, licence: licence, consent: consent), office)
    }

    @Test("The holder reads their grants and who used them, page by page", arguments: [TestingSetup.router, TestingSetup.live])
    func holderReads(_ setup: TestingSetup) async throws {
        let (scene, _) = try Self.sceneWithUses()
        let fixture = scene.fixture
        let holderHex = scene.holder.publicKey.compressed.hex
        try await fixture.test(setup) { client in
            let listTarget = "/v1/holders/\(holderHex)/consents"
            let list = try await client.get(listTarget, headers: try fixture.signed(listTarget, by: scene.holder))
            #expect(list.status == .ok)
            let json = try list.json()
            let consents = try #require(json["consents"] as? [[String: Any]])
            #expect(consents.count == 1)
            #expect(consents[0]["id"] as? String == scene.consent.hex)
            #expect(consents[0]["office"] as? String == "counter-1")
            #expect(consents[0]["purpose"] as? String == "办理营业执照变更")
            #expect(consents[0]["uses"] as? Int == 3)
            #expect(consents[0]["usesLeft"] as? Int == 2)
            #expect(consents[0]["licences"] as? [String] == [scene.licence.hex])

            let firstTarget = "/v1/consents/\(scene.consent.hex)/uses?from=0&limit=2"
            let first = try await client.get(firstTarget, headers: try fixture.signed(firstTarget, by: scene.holder)).json()
            let firstUses = try #require(first["uses"] as? [[String: Any]])
            #expect(firstUses.map { $0["use"] as? Int } == [0, 1])
            #expect(firstUses.allSatisfy { $0["office"] as? String == "counter-1" && $0["licence"] as? String == scene.licence.hex })
            #expect(first["next"] as? Int == 2)

            let secondTarget = "/v1/consents/\(scene.consent.hex)/uses?from=2&limit=2"
            let second = try await client.get(secondTarget, headers: try fixture.signed(secondTarget, by: scene.holder)).json()
            #expect((second["uses"] as? [[String: Any]])?.map { $0["use"] as? Int } == [2])
            #expect(second["next"] == nil)
        }
    }

    @Test("Unsigned, badly signed, wrong-key, stale and replayed requests are refused")
    func refusals() async throws {
        let (scene, office) = try Self.sceneWithUses()
        let fixture = scene.fixture
        let holderHex = scene.holder.publicKey.compressed.hex
        let target = "/v1/holders/\(holderHex)/consents"
        let usesTarget = "/v1/consents/\(scene.consent.hex)/uses"
        try await fixture.test(.router) { client in
            let unsigned = try await client.get(target)
            #expect(unsigned.status == .unauthorized)
            #expect(try unsigned.errorCode() == "BAD_REQUEST_SIGNATURE")

            // Signed for another path: the signature covers the target.
            let elsewhere = try await client.get(target, headers: try fixture.signed(target + "?limit=1", by: scene.holder))
            #expect(elsewhere.status == .unauthorized)
            #expect(try elsewhere.errorCode() == "BAD_REQUEST_SIGNATURE")

            // A valid signature, but the key's header swapped for another key's.
            var swapped = try fixture.signed(target, by: scene.holder)
            swapped.set(SignedRequest.keyHeader, office.publicKey.compressed.hex)
            let badSignature = try await client.get(target, headers: swapped)
            #expect(try badSignature.errorCode() == "BAD_REQUEST_SIGNATURE")

            // Correctly signed by a key that is not the holder's.
            let wrongKey = try await client.get(target, headers: try fixture.signed(target, by: office))
            #expect(wrongKey.status == .forbidden)
            #expect(try wrongKey.errorCode() == "NOT_HOLDER")
            let wrongKeyUses = try await client.get(usesTarget, headers: try fixture.signed(usesTarget, by: office))
            #expect(wrongKeyUses.status == .forbidden)
            #expect(try wrongKeyUses.errorCode() == "NOT_HOLDER")

            // Five minutes and a millisecond away from the node's clock, either way.
            let now = fixture.clock.now
            for stamp in [now - 300_001, now + 300_001] {
                let stale = try await client.get(target, headers: try fixture.signed(target, by: scene.holder, timestamp: stamp))
                #expect(stale.status == .unauthorized)
                #expect(try stale.errorCode() == "STALE_REQUEST")
            }
            let edge = try await client.get(target, headers: try fixture.signed(target, by: scene.holder, timestamp: now - 300_000))
            #expect(edge.status == .ok)

            // The same signed request twice: the second is a replay.
            let headers = try fixture.signed(target, by: scene.holder)
            #expect(try await client.get(target, headers: headers).status == .ok)
            let replay = try await client.get(target, headers: headers)
            #expect(replay.status == .unauthorized)
            #expect(try replay.errorCode() == "NONCE_REUSED")

            // Malformed headers.
            var shortNonce = try fixture.signed(target, by: scene.holder)
            shortNonce.set(SignedRequest.nonceHeader, "abcd")
            #expect(try await client.get(target, headers: shortNonce).errorCode() == "BAD_REQUEST_SIGNATURE")
            var badTime = try fixture.signed(target, by: scene.holder)
            badTime.set(SignedRequest.timestampHeader, "1e12")
            #expect(try await client.get(target, headers: badTime).errorCode() == "BAD_REQUEST_SIGNATURE")

            // An unknown grant is 404 once the request is properly signed.
            let unknown = "/v1/consents/\(String(repeating: "00", count: 32))/uses"
            #expect(try await client.get(unknown, headers: try fixture.signed(unknown, by: scene.holder)).status == .notFound)
        }
    }
}
