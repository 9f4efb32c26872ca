import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerState
import NodeAPI
import Testing

@Suite("A block's receipts and a holder's licences")
struct ReceiptsAndHolderLicenceTests {
    @Test("A block's receipts come in block order, refused ones included, each naming its subject")
    func blockReceipts() async throws {
        let fixture = try APIFixture()
        let chain = fixture.chain
        let holder = try chain.newKey()
        let issue = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: holder)), by: chain.admin("psb"))
        // 市场监管局 may not issue a 居民身份证: refused, and still in the block's receipts.
        let refused = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: holder)), by: chain.admin("samr"))
        try fixture.backend.run([issue, refused], allowingRefusals: true)
        let licence = LicenceID(issuedBy: chain.id(issue))
        let revoke = try chain.tx(.revokeLicence(try LicenceStatusChange(licence: licence, reason: "test")), by: chain.admin("psb"))
        try fixture.backend.run([revoke])
        try await fixture.test(.router) { client in
            let first = try await client.get("/v1/blocks/1/receipts").json()
            #expect(first["height"] as? Int == 1)
            let receipts = first["receipts"] as? [[String: Any]] ?? []
            #expect(receipts.map { $0["txid"] as? String } == [chain.id(issue).hex, chain.id(refused).hex])
            #expect(receipts.map { $0["accepted"] as? Bool } == [true, false])
            #expect(receipts.last?["code"] as? String == "NOT_AUTHORISED_FOR_LICENCE_TYPE")
            #expect(receipts.first?["subject"] as? String == "licence of type RESIDENT_ID_CARD")
            let second = try await client.get("/v1/blocks/2/receipts").json()
            #expect((second["receipts"] as? [[String: Any]])?.first?["subject"] as? String == "licence \(licence.hex)")
            #expect(try await client.get("/v1/blocks/3/receipts").status == .notFound)
            #expect(try await client.get("/v1/blocks/x/receipts").errorCode() == "BAD_PARAMETER")
        }
    }

    @Test("A holder's licences, all or of one type; bad keys and types are 400")
    func holderLicences() async throws {
        let fixture = try APIFixture()
        let chain = fixture.chain
        let holder = try chain.newKey()
        let other = try chain.newKey()
        try fixture.backend.run([
            try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: holder)), by: chain.admin("psb")),
            try chain.tx(.issueLicence(chain.licenceIssue("DRIVING_LICENCE", holder: holder)), by: chain.admin("psb")),
            try chain.tx(.issueLicence(chain.licenceIssue("DRIVING_LICENCE", holder: other)), by: chain.admin("psb")),
        ])
        let key = holder.publicKey.compressed.hex
        try await fixture.test(.router) { client in
            let all = try await client.get("/v1/holders/\(key)/licences").json()
            #expect(all["holder"] as? String == key)
            let licences = all["licences"] as? [[String: Any]] ?? []
            #expect(Set(licences.compactMap { ($0["type"] as? [String: Any])?["code"] as? String }) == ["RESIDENT_ID_CARD", "DRIVING_LICENCE"])
            #expect(licences.allSatisfy { $0["holderKey"] as? String == key })
            let driving = try await client.get("/v1/holders/\(key)/licences?type=DRIVING_LICENCE").json()
            #expect((driving["licences"] as? [[String: Any]])?.count == 1)
            #expect(try await client.get("/v1/holders/\(key)/licences?type=bad-type").errorCode() == "BAD_PARAMETER")
            #expect(try await client.get("/v1/holders/02ab/licences").errorCode() == "BAD_HEX")
            #expect(try await client.get("/v1/holders/\(key)/licences?colour=red").status == .badRequest)
        }
    }
}
