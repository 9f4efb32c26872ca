import Foundation
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPI
import Testing

@Suite("Licences and the counter check")
struct LicenceRouteTests {
    /// A holder with an identity card, an office, and a grant for that office.
    struct Scene {
        let fixture: APIFixture
        let holder: PrivateKey
        /// The key of office counter-1, to which the grant is given.
        let office: PrivateKey
        let licence: LicenceID
        let consent: ConsentID
    }

    static func scene(maxUses: UInt64 = 3) throws -> Scene {
        let fixture = try APIFixture()
        let chain = fixture.chain
        let holder = try chain.newKey()
        let office = try chain.newKey()
        let issue = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: holder)), by: chain.admin("psb"))
        try fixture.backend.run([
            try chain.tx(chain.registration(.office(OfficeID("counter-1")!), key: office), by: chain.admin("gsdmb")), issue,
        ])
        let licence = LicenceID(issuedBy: chain.id(issue))
        let grant = try chain.grant([licence], office: "counter-1", holder: holder, maxUses: maxUses)
        try fixture.backend.run([try chain.tx(.grantConsent(grant), by: holder)])
        return Scene(fixture: fixture, holder: holder, office: office, licence: licence, consent: grant.grant.id(using: chain.suite))
    }

    @Test("A licence with its type's and issuer's names, digests, validity and status")
    func licence() async throws {
        let scene = try Self.scene()
        let chain = scene.fixture.chain
        try await scene.fixture.test(.router) { client in
            let response = try await client.get("/v1/licences/\(scene.licence.hex)")
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["id"] as? String == scene.licence.hex)
            let type = try #require(json["type"] as? [String: Any])
            #expect(type["code"] as? String == "RESIDENT_ID_CARD")
            #expect(type["nameZh"] as? String == "居民身份证")
            #expect(type["nameEn"] as? String == "Resident Identity Card")
            let issuer = try #require(json["issuer"] as? [String: Any])
            #expect(issuer["id"] as? String == "psb")
            #expect(issuer["nameZh"] as? String == "公安局")
            #expect(json["holderKey"] as? String == scene.holder.publicKey.compressed.hex)
            #expect(json["holderCommitment"] as? String == chain.suite.digest(Array("salt|110101199003071234".utf8)).hex)
            #expect(json["documentDigest"] as? String == chain.suite.digest(TestChain.document).hex)
            #expect(json["validFromMillis"] as? Int == Int(TestChain.genesisTime))
            #expect(json["longTerm"] as? Bool == true)
            #expect(json["validUntilMillis"] == nil)
            #expect(json["status"] as? String == "active")
            #expect(json["supersededBy"] == nil)

            #expect(try await client.get("/v1/licences/\(String(repeating: "00", count: 32))").status == .notFound)
            #expect(try await client.get("/v1/licences/xyz").errorCode() == "BAD_HEX")
        }
    }

    @Test("A superseded licence links to its replacement")
    func superseded() async throws {
        let scene = try Self.scene()
        let chain = scene.fixture.chain
        let replacement = try chain.tx(
            .supersedeLicence(LicenceSupersession(old: scene.licence, replacement: chain.licenceIssue("RESIDENT_ID_CARD", holder: scene.holder))),
            by: chain.admin("psb"))
        try scene.fixture.backend.run([replacement])
        try await scene.fixture.test(.router) { client in
            let json = try await client.get("/v1/licences/\(scene.licence.hex)").json()
            #expect(json["status"] as? String == "superseded")
            #expect(json["supersededBy"] as? String == chain.id(replacement).hex)
        }
    }

    @Test("Verify: every check listed and passed, by licence id and by holder + type")
    func verifyPasses() async throws {
        let scene = try Self.scene()
        let chain = scene.fixture.chain
        let digest = chain.suite.digest(TestChain.document).hex
        try await scene.fixture.test(.router) { client in
            // With a consent the check is signed: here by the office asking as itself.
            let response = try await client.post(
                "/v1/verify",
                object: ["licence": scene.licence.hex, "documentDigest": digest, "consent": scene.consent.hex, "office": "counter-1"],
                headers: try scene.fixture.signed("/v1/verify", by: scene.office, method: "POST"))
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["passed"] as? Bool == true)
            let checks = try #require(json["checks"] as? [[String: Any]])
            #expect(checks.map { $0["name"] as? String } == [
                "licence-found", "issuer-authorised", "status", "validity-window", "document-digest", "consent-valid", "uses-left",
            ])
            #expect(checks.allSatisfy { $0["passed"] as? Bool == true && $0["code"] == nil })
            #expect((json["licence"] as? [String: Any])?["id"] as? String == scene.licence.hex)

            let byHolder = try await client.post(
                "/v1/verify", object: ["holder": scene.holder.publicKey.compressed.hex, "type": "RESIDENT_ID_CARD"])
            let holderJSON = try byHolder.json()
            #expect(holderJSON["passed"] as? Bool == true)
            #expect((holderJSON["checks"] as? [Any])?.count == 4)
        }
    }

    @Test("Verify: a wrong document and another office fail, each check saying why; unknown licence fails alone")
    func verifyFails() async throws {
        let scene = try Self.scene()
        try await scene.fixture.test(.router) { client in
            let wrongOffice: [String: Any] = [
                "licence": scene.licence.hex, "documentDigest": String(repeating: "11", count: 32),
                "consent": scene.consent.hex, "office": "counter-2",
            ]
            // Who may ask: not anyone holding the grant's id, and not an office asking as another.
            let unsigned = try await client.post("/v1/verify", object: wrongOffice)
            #expect(unsigned.status == .unauthorized)
            let impostor = try await client.post(
                "/v1/verify", object: wrongOffice, headers: try scene.fixture.signed("/v1/verify", by: scene.office, method: "POST"))
            #expect(impostor.status == .forbidden)
            #expect(try impostor.errorCode() == "NOT_HOLDER")
            // The holder may check their grant against any office.
            let response = try await client.post(
                "/v1/verify", object: wrongOffice, headers: try scene.fixture.signed("/v1/verify", by: scene.holder, method: "POST"))
            #expect(response.status == .ok)  // a failing verdict is an answer, not an error
            let json = try response.json()
            #expect(json["passed"] as? Bool == false)
            let checks = try #require(json["checks"] as? [[String: Any]])
            let failed = checks.filter { $0["passed"] as? Bool == false }
            #expect(failed.map { $0["name"] as? String } == ["document-digest", "consent-valid"])
            #expect(failed.map { $0["code"] as? String } == ["INVALID_FIELD", "CONSENT_WRONG_OFFICE"])
            #expect(failed.allSatisfy { ($0["detail"] as? String)?.isEmpty == false })

            let missing = try await client.post("/v1/verify", object: ["licence": String(repeating: "00", count: 32)]).json()
            #expect(missing["passed"] as? Bool == false)
            #expect((missing["checks"] as? [[String: Any]])?.map { $0["code"] as? String } == ["LICENCE_NOT_FOUND"])
            #expect(missing["licence"] == nil)
        }
    }

    @Test("Verify refuses malformed requests with 400 and names the field")
    func verifyInput() async throws {
        let scene = try Self.scene()
        try await scene.fixture.test(.router) { client in
            let both = try await client.post("/v1/verify", object: ["licence": scene.licence.hex, "holder": scene.holder.publicKey.compressed.hex])
            #expect(try both.errorCode() == "BAD_PARAMETER")
            let neither = try await client.post("/v1/verify", object: [:])
            #expect(try neither.errorCode() == "BAD_PARAMETER")
            let badType = try await client.post("/v1/verify", object: ["holder": scene.holder.publicKey.compressed.hex, "type": "id card"])
            #expect(try badType.errorCode() == "BAD_PARAMETER")
            let badOffice = try await client.post("/v1/verify", object: ["licence": scene.licence.hex, "office": "Counter 1"])
            #expect(try badOffice.errorCode() == "BAD_PARAMETER")
            let badDigest = try await client.post("/v1/verify", object: ["licence": scene.licence.hex, "documentDigest": "ab"])
            #expect(try badDigest.errorCode() == "BAD_HEX")
            let negativeTime = try await client.post("/v1/verify", json: #"{"licence":"\#(scene.licence.hex)","atMillis":-5}"#)
            #expect(try negativeTime.errorCode() == "BAD_JSON")
            let wrongType = try await client.post("/v1/verify", json: #"{"licence":42}"#)
            #expect(wrongType.status == .badRequest)
            #expect(try wrongType.errorCode() == "BAD_JSON")
            #expect((try wrongType.json()["message"] as? String)?.contains("licence") == true)
        }
    }
}
