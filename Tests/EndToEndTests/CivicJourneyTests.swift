import Foundation
import Testing

/// The real `civic` binary against a real devnet: both journeys of the CLI
/// issue, asserting on `--json` output, and every refusal a person can meet
/// along the way gives one clear line and a non-zero exit.
@Suite("civic journeys on a devnet", .serialized)
struct CivicJourneyTests {
    @Test("免证办: request, grant, VERIFIED, access log; refusals for digest, office, uses, revocation, expiry, licence status and issuer")
    func counterJourney() async throws {
        let net = try DevnetHarness()
        defer { net.tearDown() }
        try net.startAll()
        try await net.wait("four nodes answering") { await (1...4).asyncAll { await net.head($0) != nil } }
        let cli = CivicCLI(net: net)
        for name in ["office", "other-office", "holder"] { try await cli.newKey(name) }
        let holderKey = try await cli.publicKey("holder")
        try await cli.commit(["registry", "register", "--key", cli.admin("gsdmb"), "--role", "office", "--id", "e2e-counter", "--name", "窗口 1", "--subject-key", try await cli.publicKey("office")])
        try await cli.commit(["registry", "register", "--key", cli.admin("gsdmb"), "--role", "office", "--id", "e2e-other", "--name", "窗口 2", "--subject-key", try await cli.publicKey("other-office")])

        let idCardFile = try cli.document("id-card.txt", "居民身份证 张三 440305199001011234")
        let businessFile = try cli.document("business.txt", "营业执照 91440300MA5G000001")
        // The id number comes on standard input, not the command line.
        let idCard = try await cli.commit([
            "licence", "issue", "--key", cli.admin("psb"), "--type", "RESIDENT_ID_CARD", "--holder", holderKey,
            "--id-number", "-", "--document", idCardFile, "--long-term",
        ], stdin: "440305199001011234\n").details["licence"]!
        let business = try await cli.commit([
            "licence", "issue", "--key", cli.admin("samr"), "--type", "BUSINESS_LICENCE", "--holder", holderKey,
            "--id-number", "91440300MA5G000001", "--document", businessFile, "--valid-until", "2046-12-31",
        ]).details["licence"]!
        // Wrong issuer: 市场监管局 may not issue a 居民身份证.
        try await cli.refused(["licence", "issue", "--key", cli.admin("samr"), "--type", "RESIDENT_ID_CARD", "--holder", holderKey,
                         "--id-number", "1", "--document", idCardFile, "--long-term"], code: "NOT_AUTHORISED_FOR_LICENCE_TYPE")
        let listed = try await cli.json(["licence", "list", "--holder", holderKey])
        #expect((listed["licences"] as? [[String: Any]])?.count == 2)

        // The counter's request, the holder's grant, the check.
        let request = try await cli.json(["counter", "request", "--office", "e2e-counter", "--types", "RESIDENT_ID_CARD,BUSINESS_LICENCE",
                                    "--purpose", "企业开户", "--uses", "2", "--png", cli.scratch("request.png")])
        let payload = try #require(request["payload"] as? String)
        #expect(payload.hasPrefix("civicledger:consent?v=1&chain=civic-devnet&office=e2e-counter"))
        #expect(FileManager.default.contents(atPath: cli.scratch("request.png"))?.prefix(4) == Data([0x89, 0x50, 0x4E, 0x47]))
        try await cli.expectStatus(2, ["holder", "grant", "--key", cli.key("holder"), payload, "--json"], mentions: "--yes")
        let consent = try await cli.commit(["holder", "grant", "--key", cli.key("holder"), "--yes", payload]).details["consent"]!
        let verified = try await cli.json(["counter", "verify", "--key", cli.key("office"), "--office", "e2e-counter",
                                     "--licence", idCard, "--document", idCardFile, "--consent", consent])
        #expect(verified["result"] as? String == "VERIFIED" && verified["verified"] as? Bool == true)
        let checks = ((verified["verdict"] as? [String: Any])?["checks"] as? [[String: Any]]) ?? []
        #expect(checks.count >= 6 && checks.allSatisfy { $0["passed"] as? Bool == true })

        // Refusals at the counter: another document, another office.
        let forged = try cli.document("forged.txt", "居民身份证 李四")
        try await cli.refusedVerify(["--key", cli.key("office"), "--office", "e2e-counter", "--licence", idCard, "--document", forged, "--consent", consent], code: "document")
        try await cli.refusedVerify(["--key", cli.key("other-office"), "--office", "e2e-other", "--licence", idCard, "--document", idCardFile, "--consent", consent], code: "CONSENT_WRONG_OFFICE")

        // The holder's access log shows the one use.
        let log = try await cli.jsonArray(["holder", "access-log", "--key", cli.key("holder"), consent])
        #expect(log.count == 1 && log.first?["office"] as? String == "e2e-counter" && log.first?["licence"] as? String == idCard)

        // Second use (by holder + type) passes, third is over the limit.
        let second = try await cli.json(["counter", "verify", "--key", cli.key("office"), "--office", "e2e-counter", "--holder", holderKey,
                                   "--type", "BUSINESS_LICENCE", "--document", businessFile, "--consent", consent])
        #expect(second["result"] as? String == "VERIFIED")
        try await cli.refusedVerify(["--key", cli.key("office"), "--office", "e2e-counter", "--licence", idCard, "--document", idCardFile, "--consent", consent], code: "CONSENT_USED_UP")

        // A revoked grant.
        let again = try await cli.json(["counter", "request", "--office", "e2e-counter", "--types", "RESIDENT_ID_CARD,BUSINESS_LICENCE", "--purpose", "再次核验", "--uses", "5"])
        let revocable = try await cli.commit(["holder", "grant", "--key", cli.key("holder"), "--yes", try #require(again["payload"] as? String)]).details["consent"]!
        let grants = try await cli.json(["holder", "grants", "--key", cli.key("holder")])
        #expect((grants["consents"] as? [[String: Any]])?.count == 2)
        try await cli.commit(["holder", "revoke", "--key", cli.key("holder"), revocable])
        try await cli.refusedVerify(["--key", cli.key("office"), "--office", "e2e-counter", "--licence", idCard, "--document", idCardFile, "--consent", revocable], code: "CONSENT_REVOKED")
        // Only the holder may revoke: the office's key is refused.
        try await cli.refused(["holder", "revoke", "--key", cli.key("office"), consent], code: "NOT_CONSENT_HOLDER")

        // Licence status: suspended, then revoked.
        let fresh = try await cli.json(["counter", "request", "--office", "e2e-counter", "--types", "RESIDENT_ID_CARD,BUSINESS_LICENCE", "--purpose", "状态核验", "--uses", "10"])
        let live = try await cli.commit(["holder", "grant", "--key", cli.key("holder"), "--yes", try #require(fresh["payload"] as? String)]).details["consent"]!
        try await cli.commit(["licence", "suspend", "--key", cli.admin("psb"), idCard, "--reason", "证件挂失"])
        try await cli.refusedVerify(["--key", cli.key("office"), "--office", "e2e-counter", "--licence", idCard, "--document", idCardFile, "--consent", live], code: "LICENCE_SUSPENDED")
        try await cli.commit(["licence", "reinstate", "--key", cli.admin("psb"), idCard])
        try await cli.commit(["licence", "revoke", "--key", cli.admin("samr"), business, "--reason", "吊销"])
        try await cli.refusedVerify(["--key", cli.key("office"), "--office", "e2e-counter", "--licence", business, "--document", businessFile, "--consent", live], code: "LICENCE_REVOKED")
        // A bureau cannot change another bureau's licence.
        try await cli.refused(["licence", "suspend", "--key", cli.admin("samr"), idCard], code: "NOT_ISSUER")

        // An expired grant: valid for 30 s (room for the grant to commit on a loaded machine), then block time moves past it.
        let short = try await cli.json(["counter", "request", "--office", "e2e-counter", "--types", "RESIDENT_ID_CARD", "--purpose", "短时授权", "--valid-for", "30s"])
        let notAfter = try #require(short["notAfterMillis"] as? Int)
        let expiring = try await cli.commit(["holder", "grant", "--key", cli.key("holder"), "--yes", try #require(short["payload"] as? String)]).details["consent"]!
        try await net.wait("block time past the grant's expiry", seconds: 120) {
            _ = try await net.submit(via: 1)
            let time = try await net.status(1)["blockTimeMillis"] as? Int ?? 0
            return time > notAfter
        }
        try await cli.refusedVerify(["--key", cli.key("office"), "--office", "e2e-counter", "--licence", idCard, "--document", idCardFile, "--consent", expiring], code: "CONSENT_EXPIRED")

        // Unknown ids, malformed input, an unreachable node.
        try await cli.refused(["licence", "show", String(repeating: "ab", count: 32)], code: "NOT_FOUND")
        try await cli.refused(["chain", "tx", String(repeating: "cd", count: 32)], code: "NOT_FOUND")
        try await cli.expectStatus(2, ["holder", "grant", "--key", cli.key("holder"), "--yes", "civicledger:consent?v=1&chain=civic-devnet"], mentions: "consent request")
        try await cli.expectStatus(2, ["licence", "show", "not-hex"], mentions: "hex")
        try await cli.expectStatus(3, ["chain", "status", "--node", "http://127.0.0.1:1"], mentions: "unreachable", addNode: false)
    }

    @Test("e-invoice: issue, claim, reimburse once; refusals; the auditor's trace, CSV and anomalies")
    func invoiceJourney() async throws {
        let net = try DevnetHarness()
        defer { net.tearDown() }
        try net.startAll()
        try await net.wait("four nodes answering") { await (1...4).asyncAll { await net.head($0) != nil } }
        let cli = CivicCLI(net: net)
        for name in ["seller", "buyer", "auditor"] { try await cli.newKey(name) }
        let seller = "91440300MA5G0000X1"
        let buyer = "91440300MA5G0000Y2"
        try await cli.commit(["registry", "register", "--key", cli.admin("tax"), "--role", "taxpayer", "--id", seller, "--name", "卖方", "--subject-key", try await cli.publicKey("seller")])
        try await cli.commit(["registry", "register", "--key", cli.admin("tax"), "--role", "taxpayer", "--id", buyer, "--name", "买方", "--subject-key", try await cli.publicKey("buyer")])
        try await cli.commit(["registry", "register", "--key", cli.admin("tax"), "--role", "auditor", "--id", "e2e-auditor", "--name", "稽查", "--subject-key", try await cli.publicKey("auditor")])
        let document = try cli.document("invoice.xml", "<invoice/>")

        let issued = try await cli.commit(["invoice", "issue", "--key", cli.key("seller"), "--code", "144031900111", "--number", "00000001",
                                     "--buyer", buyer, "--amount", "10000.00", "--tax", "600", "--document", document])
        #expect(issued.details["invoice"] == "144031900111-00000001")
        // Only the buyer claims; the seller is refused.
        try await cli.refused(["invoice", "claim", "--key", cli.key("seller"), "144031900111", "00000001"], code: "NOT_INVOICE_BUYER")
        try await cli.commit(["invoice", "claim", "--key", cli.key("buyer"), "144031900111", "00000001"])
        try await cli.commit(["invoice", "reimburse", "--key", cli.key("buyer"), "144031900111", "00000001"])
        try await cli.refused(["invoice", "reimburse", "--key", cli.key("buyer"), "144031900111", "00000001"], code: "INVOICE_ALREADY_REIMBURSED")
        try await cli.refused(["invoice", "reverse", "--key", cli.key("seller"), "144031900111", "00000001", "--reason", "退货"], code: "INVOICE_NOT_REVERSIBLE")
        try await cli.expectStatus(2, ["invoice", "reverse", "--key", cli.key("seller"), "144031900111", "00000001"], mentions: "--reason")
        try await cli.refused(["invoice", "issue", "--key", cli.key("seller"), "--code", "144031900111", "--number", "00000001",
                         "--buyer", buyer, "--amount", "1", "--document", document], code: "INVOICE_DUPLICATE")
        try await cli.refused(["invoice", "show", "144031900111", "99999999"], code: "NOT_FOUND")
        try await cli.expectStatus(2, ["invoice", "issue", "--key", cli.key("seller"), "--code", "144031900111", "--number", "00000009",
                                 "--buyer", buyer, "--amount", "12.345", "--document", document], mentions: "two decimals")

        // A second invoice, reversed (红冲) after the buyer claimed it.
        try await cli.commit(["invoice", "issue", "--key", cli.key("seller"), "--code", "144031900111", "--number", "00000002",
                        "--buyer", buyer, "--amount", "88.80", "--document", document])
        try await cli.commit(["invoice", "claim", "--key", cli.key("buyer"), "144031900111", "00000002"])
        try await cli.commit(["invoice", "reverse", "--key", cli.key("seller"), "144031900111", "00000002", "--reason", "开错金额"])

        let trace = try await cli.json(["audit", "trace", "144031900111", "00000001"])
        let steps = (trace["trace"] as? [[String: Any]]) ?? []
        #expect(steps.compactMap { $0["status"] as? String } == ["issued", "claimed", "reimbursed"])
        let heights = steps.compactMap { $0["height"] as? Int }
        #expect(heights == heights.sorted() && heights.count == 3)
        #expect((trace["invoice"] as? [String: Any])?["amountFen"] as? Int == 1_000_000)

        let csv = cli.scratch("invoices.csv")
        let listed = try await cli.jsonArray(["audit", "invoices", "--seller", seller, "--csv", csv])
        #expect(listed.count == 2)
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\r\n")
        #expect(rows.count == 3 && rows[0].hasPrefix("code,number,seller,buyer,amount_fen"))

        let anomalies = try await cli.jsonArray(["audit", "anomalies", "--from-height", "1"])
        let kinds = Set(anomalies.compactMap { $0["kind"] as? String })
        #expect(kinds.isSuperset(of: ["refused-reimbursement", "reversal-after-claim"]))
        #expect(anomalies.contains { $0["subject"] as? String == "invoice 144031900111-00000002" && $0["kind"] as? String == "reversal-after-claim" })
    }
}
