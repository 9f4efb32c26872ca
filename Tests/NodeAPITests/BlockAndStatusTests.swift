import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerState
import NodeAPI
import Testing

@Suite("Blocks, status, bureaus, health")
struct BlockAndStatusTests {
    @Test("A block by height and by hash: header fields, hash, tx ids, certificate, signers")
    func blocks() async throws {
        let fixture = try APIFixture()
        let chain = fixture.chain
        let a = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: try chain.newKey())), by: chain.admin("psb"))
        let b = try chain.tx(.issueLicence(chain.licenceIssue("DRIVING_LICENCE", holder: try chain.newKey())), by: chain.admin("psb"))
        try fixture.backend.run([a, b])
        let head = try chain.ledger.head()
        try await fixture.test(.router) { client in
            let byHeight = try await client.get("/v1/blocks/1")
            #expect(byHeight.status == .ok)
            let json = try byHeight.json()
            #expect(json["height"] as? Int == 1)
            #expect(json["blockHash"] as? String == head.blockHash.hex)
            #expect(json["chainID"] as? String == "civic-test")
            #expect(json["timestampMillis"] as? Int == Int(head.timeMillis))
            #expect(json["transactions"] as? [String] == [chain.id(a).hex, chain.id(b).hex])
            #expect(json["transactionCount"] as? Int == 2)
            #expect(json["commitCertificate"] as? String == "3003020107")
            #expect(json["signers"] as? [Int] == [0, 1, 2])
            #expect((json["previousHash"] as? String)?.count == 64)
            #expect((json["proposer"] as? String) == String(repeating: "01", count: 20))

            let byHash = try await client.get("/v1/blocks/by-hash/\(head.blockHash.hex)")
            #expect(byHash.status == .ok)
            #expect(byHash.text == byHeight.text)

            #expect(try await client.get("/v1/blocks/2").status == .notFound)
            #expect(try await client.get("/v1/blocks/by-hash/\(String(repeating: "00", count: 32))").status == .notFound)
            let badHeight = try await client.get("/v1/blocks/-1")
            #expect(badHeight.status == .badRequest)
            #expect(try badHeight.errorCode() == "BAD_PARAMETER")
            #expect(try await client.get("/v1/blocks/99999999999999999999999").status == .badRequest)
            let badHash = try await client.get("/v1/blocks/by-hash/\(String(repeating: "00", count: 31))")
            #expect(try badHash.errorCode() == "BAD_HEX")
        }
    }

    @Test("Status mirrors the backend's NodeStatus with hex digests", arguments: [TestingSetup.router, TestingSetup.live])
    func status(_ setup: TestingSetup) async throws {
        let fixture = try APIFixture()
        try fixture.backend.commit()
        let head = try fixture.chain.ledger.head()
        try await fixture.test(setup) { client in
            let response = try await client.get("/v1/status")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "application/json; charset=utf-8")
            let json = try response.json()
            #expect(json["nodeName"] as? String == "test-node")
            #expect(json["chainID"] as? String == "civic-test")
            #expect(json["suite"] as? String == "standard")
            #expect(json["height"] as? Int == 1)
            #expect(json["blockHash"] as? String == head.blockHash.hex)
            #expect(json["stateRoot"] as? String == head.stateRoot.hex)
            #expect(json["blockTimeMillis"] as? Int == Int(head.timeMillis))
            #expect(json["connectedPeers"] as? [Int] == [1, 2, 3])
            #expect(json["changingView"] as? Bool == false)
            #expect(json["mempoolSize"] as? Int == 0)
            #expect(json["certifiedHeight"] as? Int == 1)
            let offences = try #require(json["peerOffences"] as? [[String: Any]])
            #expect(offences.map { "\($0["peer"] as? Int ?? -1) \($0["reason"] as? String ?? "") \($0["count"] as? Int ?? -1)" }
                == ["2 badSignature 1", "3 equivocation 2"])
        }
    }

    @Test("Bureaus with names in both languages and their rights, licence types named")
    func bureaus() async throws {
        let fixture = try APIFixture()
        try await fixture.test(.router) { client in
            let json = try await client.get("/v1/bureaus").json()
            let bureaus = try #require(json["bureaus"] as? [[String: Any]])
            #expect(bureaus.map { $0["id"] as? String } == ["gsdmb", "psb", "samr", "tax"])
            let psb = bureaus[1]
            #expect(psb["nameZh"] as? String == "公安局")
            #expect(psb["nameEn"] as? String == "Public Security Bureau")
            #expect(psb["adminKey"] as? String == fixture.chain.admin("psb").publicKey.compressed.hex)
            let rights = try #require(psb["rights"] as? [String: Any])
            let types = try #require(rights["licenceTypes"] as? [[String: Any]])
            #expect(types.map { $0["code"] as? String } == ["DRIVING_LICENCE", "RESIDENT_ID_CARD"])
            #expect(types.map { $0["nameZh"] as? String } == ["机动车驾驶证", "居民身份证"])
            #expect(rights["registersOffices"] as? Bool == false)
            let tax = try #require(bureaus[3]["rights"] as? [String: Any])
            #expect(tax["registersTaxpayers"] as? Bool == true)
            #expect(tax["registersAuditors"] as? Bool == true)
        }
    }

    @Test("Health is ok while the node can read, 503 with Retry-After when it cannot")
    func health() async throws {
        let fixture = try APIFixture()
        try await fixture.test(.router) { client in
            let ok = try await client.get("/health")
            #expect(ok.status == .ok)
            #expect(try ok.json()["status"] as? String == "ok")

            fixture.backend.setUnavailable("catching up from height 0")
            let down = try await client.get("/health")
            #expect(down.status == .serviceUnavailable)
            #expect(down.headers[.retryAfter] == "5")
            #expect(try down.errorCode() == "UNAVAILABLE")
            #expect(try down.json()["message"] as? String == "catching up from height 0")

            // Every read route says the same.
            let licence = try await client.get("/v1/licences/\(String(repeating: "ab", count: 32))")
            #expect(licence.status == .serviceUnavailable)
            #expect(licence.headers[.retryAfter] == "5")
        }
    }

    @Test("A handler that does not answer in time ends in 504 TIMEOUT")
    func deadline() async throws {
        let fixture = try APIFixture { $0.requestTimeout = .milliseconds(50) }
        let app = makeAPIServer(
            backend: HangingBackend(inner: fixture.backend), metrics: fixture.metrics, configuration: fixture.configuration,
            logger: APIFixture.logger)
        try await app.test(.router) { client in
            let response = try await client.get("/v1/status")
            #expect(response.status == .gatewayTimeout)
            #expect(try response.errorCode() == "TIMEOUT")
        }
    }
}
