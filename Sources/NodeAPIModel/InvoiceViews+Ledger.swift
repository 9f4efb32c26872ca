import LedgerState

extension InvoiceTraceView {
    public init(_ trace: LedgerQueries.InvoiceTrace) {
        self.init(invoice: InvoiceView(trace.invoice), trace: trace.events.map(InvoiceEventView.init))
    }
}

extension InvoiceView {
    public init(_ record: InvoiceRecord) {
        self.init(
            id: record.id.description, code: record.id.code, number: record.id.number, seller: record.seller.value,
            buyer: record.issued.buyer.value, amountFen: record.issued.amountFen, taxFen: record.issued.taxFen,
            documentDigest: record.issued.documentDigest.hex, issuedAtMillis: record.issuedAtMillis,
            status: record.status.rawValue)
    }
}

extension InvoiceEventView {
    public init(_ event: InvoiceEventRecord) {
        self.init(
            status: event.status.rawValue, actor: event.actor.hex, height: event.height.value,
            timeMillis: event.timeMillis, transaction: event.transaction.hex, reason: event.reason)
    }
}
