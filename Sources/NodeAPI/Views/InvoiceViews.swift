import LedgerState

/// An e-invoice; amounts are integer fen.
struct InvoiceView: Encodable, Sendable {
    let id: String
    let code: String
    let number: String
    let seller: String
    let buyer: String
    let amountFen: UInt64
    let taxFen: UInt64
    let documentDigest: String
    let issuedAtMillis: UInt64
    let status: String

    init(_ record: InvoiceRecord) {
        id = record.id.description
        code = record.id.code
        number = record.id.number
        seller = record.seller.value
        buyer = record.issued.buyer.value
        amountFen = record.issued.amountFen
        taxFen = record.issued.taxFen
        documentDigest = record.issued.documentDigest.hex
        issuedAtMillis = record.issuedAtMillis
        status = record.status.rawValue
    }
}

/// One step of an invoice's life (全流程追溯).
struct InvoiceEventView: Encodable, Sendable {
    let status: String
    let actor: String
    let height: UInt64
    let timeMillis: UInt64
    let transaction: String
    let reason: String

    init(_ event: InvoiceEventRecord) {
        status = event.status.rawValue
        actor = event.actor.hex
        height = event.height.value
        timeMillis = event.timeMillis
        transaction = event.transaction.hex
        reason = event.reason
    }
}

struct InvoiceTraceView: Encodable, Sendable {
    let invoice: InvoiceView
    /// Issue first.
    let trace: [InvoiceEventView]
}

struct InvoicePageView: Encodable, Sendable {
    let party: String
    let role: String
    let invoices: [InvoiceView]
    /// Pass as `cursor` for the next page; omitted when this page was the last.
    let nextCursor: String?
}
