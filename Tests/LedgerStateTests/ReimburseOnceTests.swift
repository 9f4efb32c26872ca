import LedgerCore
import LedgerState
import Testing

/// No invoice is ever reimbursed twice, whoever submits and however the
/// submissions are ordered.
@Suite("Reimburse exactly once")
struct ReimburseOnceTests {
    private func claimedInvoice(_ h: LedgerHarness) throws -> (buyer: LedgerHarness.Key, invoice: InvoiceAction) {
        let seller = try h.taxpayer(Taxpayers.seller)
        let buyer = try h.taxpayer(Taxpayers.buyer)
        try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000007", buyer: Taxpayers.buyer)), by: seller))
        try h.expectOK(h.run(.claimInvoice(h.invoiceAction("00000007")), by: buyer))
        return (buyer, try h.invoiceAction("00000007", reason: "报销"))
    }

    @Test("Two reimbursements in one block: the first succeeds, the second is refused")
    func sameBlock() throws {
        let h = try LedgerHarness(seed: 21)
        let (buyer, action) = try claimedInvoice(h)
        // Two distinct transactions (different nonces), as two finance clerks would send.
        let first = try h.tx(.reimburseInvoice(action), by: buyer)
        let second = try h.tx(.reimburseInvoice(try InvoiceAction(invoice: action.invoice, reason: "重复报销")), by: buyer)
        let receipts = try h.block([first, second])
        #expect(receipts.map(\.code) == [.ok, .invoiceAlreadyReimbursed])
    }

    @Test("Two reimbursements in consecutive blocks: exactly one succeeds")
    func consecutiveBlocks() throws {
        let h = try LedgerHarness(seed: 22)
        let (buyer, action) = try claimedInvoice(h)
        let first = try h.block([h.tx(.reimburseInvoice(action), by: buyer)])
        let second = try h.block([h.tx(.reimburseInvoice(action), by: buyer)])
        #expect(first.map(\.code) == [.ok])
        #expect(second.map(\.code) == [.invoiceAlreadyReimbursed])
        let trace = try #require(try h.queries { try $0.invoice(action.invoice) })
        #expect(trace.events.filter { $0.status == .reimbursed }.count == 1)
    }

    @Test("Many concurrent-looking reimbursements in one block: exactly one succeeds", arguments: [3, 10])
    func many(count: Int) throws {
        let h = try LedgerHarness(seed: 23)
        let (buyer, action) = try claimedInvoice(h)
        let txs = try (0..<count).map { i in
            try h.tx(.reimburseInvoice(try InvoiceAction(invoice: action.invoice, reason: "attempt \(i)")), by: buyer)
        }
        let receipts = try h.block(txs)
        #expect(receipts.filter(\.accepted).count == 1)
        #expect(receipts.dropFirst().allSatisfy { $0.code == .invoiceAlreadyReimbursed })
    }
}
