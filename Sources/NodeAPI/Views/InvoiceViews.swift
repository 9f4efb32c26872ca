import LedgerState
import NodeAPIModel

extension InvoiceView {
    init(_ record: InvoiceRecord) {
        self.init(
            id: record.id.description, code: record.id.code, number: record.id.number, seller: record.seller.value,
            buyer: record.issued.buyer.value, amountFen: record.issued.amountFen, taxFen: record.issued.taxFen,
            documentDigest: record.issued.documentDigest.hex, issuedAtMillis: record.issuedAtMillis,
            status: record.status.rawValue)
    }
}

extension InvoiceEventView {
    init(_ event: InvoiceEventRecord) {
        self.init(
            status: event.status.rawValue, actor: event.actor.hex, height: event.height.value,
            timeMillis: event.timeMillis, transaction: event.transaction.hex, reason: event.reason)
    }
}
