import Foundation
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPI
import Testing

@Suite("Invoices: trace and paging")
struct InvoiceRouteTests {
    /// A seller issues five invoices to one buyer, a minute apart; the first
    /// is claimed and reimbursed.
    static func scene() throws -> (APIFixture, seller: PrivateKey, buyer: PrivateKey, issuedAt: [UInt64]) {
        let fixture = try APIFixture()
        let chain = fixture.chain
        let seller = try chain.newKey()
        let buyer = try chain.newKey()
        try fixture.backend.run([
            try chain.tx(chain.registration(.taxpayer(TaxpayerID(Taxpayers.seller)!), key: seller), by: chain.admin("tax")),
            try chain.tx(chain.registration(.taxpayer(TaxpayerID(Taxpayers.buyer)!), key: buyer), by: chain.admin("tax")),
        ])
        var issuedAt: [UInt64] = []
        for n in 10..<15 {
            try fixture.backend.run([try chain.tx(.issueInvoice(chain.invoiceIssue("000000\(n)", buyer: Taxpayers.buyer)), by: seller)])
            issuedAt.append(chain.time)
        }
        try fixture.backend.run([try chain.tx(.claimInvoice(chain.invoiceAction("00000010")), by: buyer)])
        try fixture.backend.run([try chain.tx(.reimburseInvoice(chain.invoiceAction("00000010")), by: buyer)])
        return (fixture, seller, buyer, issuedAt)
    }

    @Test("An invoice with its full trace: issued, claimed, reimbursed, each by its actor")
    func trace() async throws {
        let (fixture, seller, buyer, issuedAt) = try Self.scene()
        try await fixture.test(.router) { client in
            let response = try await client.get("/v1/invoices/\(TestChain.invoiceCode)/00000010")
            #expect(response.status == .ok)
            let json = try response.json()
            let invoice = try #require(json["invoice"] as? [String: Any])
            #expect(invoice["id"] as? String == "\(TestChain.invoiceCode)-00000010")
            #expect(invoice["seller"] as? String == Taxpayers.seller)
            #expect(invoice["buyer"] as? String == Taxpayers.buyer)
            #expect(invoice["amountFen"] as? Int == 10_000)
            #expect(invoice["taxFen"] as? Int == 600)
            #expect(invoice["issuedAtMillis"] as? Int == Int(issuedAt[0]))
            #expect(invoice["status"] as? String == "reimbursed")
            let trace = try #require(json["trace"] as? [[String: Any]])
            #expect(trace.map { $0["status"] as? String } == ["issued", "claimed", "reimbursed"])
            #expect(trace.map { $0["actor"] as? String } == [seller, buyer, buyer].map { $0.publicKey.compressed.hex })
            #expect(trace.allSatisfy { ($0["transaction"] as? String)?.count == 64 })

            #expect(try await client.get("/v1/invoices/\(TestChain.invoiceCode)/99999999").status == .notFound)
            #expect(try await client.get("/v1/invoices/12/00000010").errorCode() == "BAD_PARAMETER")
        }
    }

    @Test("A party's invoices page with a cursor, by credit code or by key, within a time range")
    func paging() async throws {
        let (fixture, seller, _, issuedAt) = try Self.scene()
        try await fixture.test(.router) { client in
            let first = try await client.get("/v1/invoices?party=\(Taxpayers.seller)&role=seller&limit=2").json()
            #expect((first["invoices"] as? [[String: Any]])?.map { $0["number"] as? String } == ["00000010", "00000011"])
            let cursor = try #require(first["nextCursor"] as? String)

            let second = try await client.get("/v1/invoices?party=\(Taxpayers.seller)&role=seller&limit=2&cursor=\(cursor)").json()
            #expect((second["invoices"] as? [[String: Any]])?.map { $0["number"] as? String } == ["00000012", "00000013"])
            let cursor2 = try #require(second["nextCursor"] as? String)
            let third = try await client.get("/v1/invoices?party=\(Taxpayers.seller)&role=seller&limit=2&cursor=\(cursor2)").json()
            #expect((third["invoices"] as? [[String: Any]])?.map { $0["number"] as? String } == ["00000014"])
            #expect(third["nextCursor"] == nil)

            // By key, as the buyer, issued in [second, fourth).
            let byKey = try await client.get(
                "/v1/invoices?party=\(seller.publicKey.compressed.hex)&role=seller&from=\(issuedAt[1])&to=\(issuedAt[3])").json()
            #expect(byKey["party"] as? String == Taxpayers.seller)
            #expect((byKey["invoices"] as? [[String: Any]])?.map { $0["number"] as? String } == ["00000011", "00000012"])
            let asBuyer = try await client.get("/v1/invoices?party=\(Taxpayers.buyer)&role=buyer").json()
            #expect((asBuyer["invoices"] as? [Any])?.count == 5)
            let sellerAsBuyer = try await client.get("/v1/invoices?party=\(Taxpayers.seller)&role=buyer").json()
            #expect((sellerAsBuyer["invoices"] as? [Any])?.isEmpty == true)
        }
    }

    @Test("Invoice lists refuse missing or malformed parameters")
    func pagingInput() async throws {
        let (fixture, _, _, _) = try Self.scene()
        let stranger = try fixture.chain.newKey().publicKey.compressed.hex
        try await fixture.test(.router) { client in
            for query in [
                "role=seller", "party=\(Taxpayers.seller)", "party=\(Taxpayers.seller)&role=auditor",
                "party=nobody&role=seller", "party=\(Taxpayers.seller)&role=seller&limit=0",
                "party=\(Taxpayers.seller)&role=seller&from=5&to=4", "party=\(Taxpayers.seller)&role=seller&cursor=garbage",
                "party=\(Taxpayers.seller)&role=seller&page=2",
            ] {
                let response = try await client.get("/v1/invoices?\(query)")
                #expect(response.status == .badRequest, "\(query)")
                #expect(try response.errorCode() == "BAD_PARAMETER", "\(query)")
            }
            let unknownKey = try await client.get("/v1/invoices?party=\(stranger)&role=seller")
            #expect(unknownKey.status == .notFound)
            // Asking for more than the cap is not an error: the page is the cap long.
            let big = try await client.get("/v1/invoices?party=\(Taxpayers.seller)&role=seller&limit=100000")
            #expect(big.status == .ok)
        }
    }
}
