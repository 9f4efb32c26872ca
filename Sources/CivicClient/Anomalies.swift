import NodeAPIModel

/// What an auditor should look at (`civic audit anomalies`), found in a range
/// of blocks' receipts: refused reimbursements (a second 报销 of one invoice,
/// or one before it was claimed), reversals (红冲) after the buyer had claimed,
/// refused consent uses, and bursts of uses of one consent grant.
public struct Anomaly: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable {
        case refusedReimbursement = "refused-reimbursement"
        case reversalAfterClaim = "reversal-after-claim"
        case refusedConsentUse = "refused-consent-use"
        case consentUseBurst = "consent-use-burst"
    }

    public let kind: Kind
    public let subject: String
    public let height: UInt64
    public let timeMillis: UInt64
    public let transaction: String
    public let detail: String
}

public struct AnomalyScan: Sendable {
    /// A burst is at least `burstUses` accepted uses of one grant within `burstWindowMillis`.
    public var burstUses: Int
    public var burstWindowMillis: UInt64

    public init(burstUses: Int = 5, burstWindowMillis: UInt64 = 10 * 60_000) {
        self.burstUses = max(2, burstUses)
        self.burstWindowMillis = burstWindowMillis
    }

    /// The accepted reversals whose invoices need their trace read to tell
    /// whether a claim came first: `(invoice code, number)`.
    public func reversals(in blocks: [BlockReceiptsView]) -> [(code: String, number: String)] {
        var seen = Set<String>()
        var found: [(String, String)] = []
        for block in blocks {
            for receipt in block.receipts where receipt.kindName == "reverseInvoice" && receipt.accepted {
                guard let invoice = Self.invoice(receipt.subject), seen.insert(invoice.code + "-" + invoice.number).inserted else { continue }
                found.append(invoice)
            }
        }
        return found
    }

    /// Everything found, in block order. `traces` holds the invoices named by `reversals(in:)`.
    public func find(in blocks: [BlockReceiptsView], traces: [InvoiceTraceView]) -> [Anomaly] {
        var anomalies: [Anomaly] = []
        var uses: [String: [(height: UInt64, time: UInt64, transaction: String)]] = [:]
        let traceByID = Dictionary(traces.map { ($0.invoice.code + "-" + $0.invoice.number, $0) }, uniquingKeysWith: { first, _ in first })
        for block in blocks.sorted(by: { $0.height < $1.height }) {
            for receipt in block.receipts {
                let subject = receipt.subject ?? "transaction \(receipt.txid)"
                func note(_ kind: Anomaly.Kind, _ detail: String) {
                    anomalies.append(Anomaly(kind: kind, subject: subject, height: block.height, timeMillis: block.timestampMillis, transaction: receipt.txid, detail: detail))
                }
                switch (receipt.kindName, receipt.accepted) {
                case ("reimburseInvoice", false):
                    note(.refusedReimbursement, "\(receipt.code): \(receipt.message)")
                case ("reverseInvoice", true):
                    guard let invoice = Self.invoice(receipt.subject), let trace = traceByID[invoice.code + "-" + invoice.number] else { continue }
                    if let claim = trace.trace.first(where: { $0.status == "claimed" && $0.height <= block.height }) {
                        note(.reversalAfterClaim, "reversed by the seller after the buyer claimed it at height \(claim.height)")
                    }
                case ("useConsent", false):
                    note(.refusedConsentUse, "\(receipt.code): \(receipt.message)")
                case ("useConsent", true):
                    uses[subject, default: []].append((block.height, block.timestampMillis, receipt.txid))
                default:
                    continue
                }
            }
        }
        for (subject, list) in uses.sorted(by: { $0.key < $1.key }) where list.count >= burstUses {
            // Sliding window over the uses in block order; report each grant once, at the burst's end.
            var start = 0
            for end in list.indices {
                while list[end].time - list[start].time > burstWindowMillis { start += 1 }
                if end - start + 1 >= burstUses {
                    let last = list[end]
                    anomalies.append(Anomaly(
                        kind: .consentUseBurst, subject: subject, height: last.height, timeMillis: last.time, transaction: last.transaction,
                        detail: "\(end - start + 1) uses within \(burstWindowMillis / 1000) s (heights \(list[start].height)–\(last.height))"))
                    break
                }
            }
        }
        return anomalies.sorted { ($0.height, $0.kind.rawValue) < ($1.height, $1.kind.rawValue) }
    }

    /// `invoice 1234567890-12345678` → its code and number.
    static func invoice(_ subject: String?) -> (code: String, number: String)? {
        guard let subject, subject.hasPrefix("invoice ") else { return nil }
        let parts = subject.dropFirst("invoice ".count).split(separator: "-")
        guard parts.count == 2 else { return nil }
        return (String(parts[0]), String(parts[1]))
    }
}
