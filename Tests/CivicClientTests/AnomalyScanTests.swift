import CivicClient
import NodeAPIModel
import Testing

@Suite("Audit anomalies")
struct AnomalyScanTests {
    func receipt(_ kind: String, _ accepted: Bool, _ subject: String, code: String = "OK", index: UInt64 = 0) -> ReceiptView {
        ReceiptView(
            txid: "\(kind)-\(subject)-\(index)", height: 0, index: index, kind: 0, kindName: kind, sender: "02", code: code,
            message: code == "OK" ? "ok" : "refused", accepted: accepted, subject: subject)
    }

    func block(_ height: UInt64, seconds: UInt64, _ receipts: [ReceiptView]) -> BlockReceiptsView {
        BlockReceiptsView(height: height, timestampMillis: seconds * 1000, receipts: receipts)
    }

    func trace(_ id: String, _ steps: [(String, UInt64)]) -> InvoiceTraceView {
        let parts = id.split(separator: "-").map(String.init)
        return InvoiceTraceView(
            invoice: InvoiceView(id: id, code: parts[0], number: parts[1], seller: "S", buyer: "B", amountFen: 1, taxFen: 0, documentDigest: "", issuedAtMillis: 0, status: steps.last!.0),
            trace: steps.map { InvoiceEventView(status: $0.0, actor: "02", height: $0.1, timeMillis: 0, transaction: "t", reason: "") })
    }

    @Test("Refused reimbursements and refused uses are reported; a reversal only if a claim came first")
    func refusalsAndReversals() {
        let blocks = [
            block(1, seconds: 0, [receipt("reimburseInvoice", true, "invoice 1234567890-00000001")]),
            block(2, seconds: 1, [
                receipt("reimburseInvoice", false, "invoice 1234567890-00000001", code: "INVOICE_ALREADY_REIMBURSED"),
                receipt("reverseInvoice", true, "invoice 1234567890-00000002", index: 1),
                receipt("reverseInvoice", true, "invoice 1234567890-00000003", index: 2),
                receipt("useConsent", false, "consent aa", code: "CONSENT_REVOKED", index: 3),
            ]),
        ]
        let scan = AnomalyScan()
        #expect(scan.reversals(in: blocks).map { "\($0.code)-\($0.number)" } == ["1234567890-00000002", "1234567890-00000003"])
        let traces = [
            trace("1234567890-00000002", [("issued", 1), ("claimed", 1), ("reversed", 2)]),
            trace("1234567890-00000003", [("issued", 1), ("reversed", 2)]),
        ]
        let found = scan.find(in: blocks, traces: traces)
        #expect(found.map(\.kind) == [.refusedConsentUse, .refusedReimbursement, .reversalAfterClaim])
        #expect(found.first { $0.kind == .reversalAfterClaim }?.subject == "invoice 1234567890-00000002")
        #expect(found.first { $0.kind == .refusedReimbursement }?.detail.hasPrefix("INVOICE_ALREADY_REIMBURSED") == true)
    }

    @Test("A burst is enough uses of one grant inside the window, reported once; spread-out uses are not")
    func bursts() {
        let burst = (0..<6).map { block(UInt64($0 + 1), seconds: UInt64($0 * 30), [receipt("useConsent", true, "consent aa")]) }
        let spread = (0..<6).map { block(UInt64($0 + 10), seconds: 10_000 + UInt64($0 * 700), [receipt("useConsent", true, "consent bb")]) }
        let found = AnomalyScan(burstUses: 5, burstWindowMillis: 600_000).find(in: burst + spread, traces: [])
        #expect(found.count == 1)
        #expect(found.first?.kind == .consentUseBurst && found.first?.subject == "consent aa" && found.first?.height == 5)
        #expect(AnomalyScan(burstUses: 7).find(in: burst, traces: []).isEmpty)
    }
}
