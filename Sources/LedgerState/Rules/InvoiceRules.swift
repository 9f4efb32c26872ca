import LedgerCore

/// E-invoices (区块链电子发票):
///
/// ```
/// issued ──claim (buyer)──▶ claimed ──reimburse (buyer)──▶ reimbursed   (once, ever)
/// issued | claimed ──reverse / 红冲 (seller)──▶ reversed
/// ```
/// Every transition appends an event, so the trace is complete. Reimbursement
/// is final: the status check and the write happen inside one transaction of
/// one totally ordered block sequence, so of two reimbursements of one invoice
/// (same block or not) exactly one finds it `claimed`.
enum InvoiceRules {
    static func issue(_ issue: InvoiceIssue, in context: inout TransactionContext) throws(RuleFailure) {
        let sellerID = try RegistryRules.activeTaxpayer(in: context)
        if try context.record(InvoiceRecord.self, at: StateKey.invoice(issue.invoice)) != nil {
            throw .refuse(.invoiceDuplicate, "invoice \(issue.invoice) already exists")
        }
        guard issue.buyer != sellerID else {
            throw .refuse(.invalidField, "the buyer of an invoice cannot be its seller \(sellerID)")
        }
        guard let buyer = try context.entity(.taxpayer(issue.buyer)) else {
            throw .refuse(.buyerNotFound, "buyer \(issue.buyer) is not a registered taxpayer")
        }
        guard buyer.active else { throw .refuse(.taxpayerDisabled, "buyer \(issue.buyer) is disabled") }

        let record = InvoiceRecord(
            issued: issue, seller: sellerID, issuedAtMillis: context.timeMillis, status: .issued, eventCount: 0)
        try append(.issued, reason: "", to: record, in: &context)
        context.overlay.putIndex(IndexKey.sellerInvoice(sellerID, context.timeMillis, issue.invoice))
        context.overlay.putIndex(IndexKey.buyerInvoice(issue.buyer, context.timeMillis, issue.invoice))
    }

    static func claim(_ action: InvoiceAction, in context: inout TransactionContext) throws(RuleFailure) {
        let invoice = try asBuyer(action, in: context)
        switch invoice.status {
        case .issued: try append(.claimed, reason: action.reason, to: invoice, in: &context)
        case .claimed, .reimbursed:
            throw .refuse(.invoiceNotClaimable, "invoice \(invoice.id) is already \(invoice.status.rawValue)")
        case .reversed: throw .refuse(.invoiceReversed, "invoice \(invoice.id) was reversed (红冲)")
        }
    }

    static func reimburse(_ action: InvoiceAction, in context: inout TransactionContext) throws(RuleFailure) {
        let invoice = try asBuyer(action, in: context)
        switch invoice.status {
        case .claimed: try append(.reimbursed, reason: action.reason, to: invoice, in: &context)
        case .reimbursed:
            throw .refuse(.invoiceAlreadyReimbursed, "invoice \(invoice.id) was already reimbursed")
        case .issued: throw .refuse(.invoiceNotClaimed, "invoice \(invoice.id) must be claimed by its buyer first")
        case .reversed: throw .refuse(.invoiceReversed, "invoice \(invoice.id) was reversed (红冲)")
        }
    }

    static func reverse(_ action: InvoiceAction, in context: inout TransactionContext) throws(RuleFailure) {
        let invoice = try existing(action.invoice, in: context)
        let seller = try RegistryRules.activeTaxpayer(in: context, notFound: .notInvoiceSeller)
        guard seller == invoice.seller else {
            throw .refuse(.notInvoiceSeller, "only the seller \(invoice.seller) may reverse invoice \(invoice.id)")
        }
        guard !action.reason.isEmpty else {
            throw .refuse(.invalidField, "a reversal (红冲) needs a reason")
        }
        switch invoice.status {
        case .issued, .claimed: try append(.reversed, reason: action.reason, to: invoice, in: &context)
        case .reimbursed, .reversed:
            throw .refuse(
                .invoiceNotReversible, "invoice \(invoice.id) is \(invoice.status.rawValue); only issued or claimed invoices can be reversed")
        }
    }

    private static func asBuyer(_ action: InvoiceAction, in context: TransactionContext) throws(RuleFailure) -> InvoiceRecord {
        let invoice = try existing(action.invoice, in: context)
        let buyer = try RegistryRules.activeTaxpayer(in: context, notFound: .notInvoiceBuyer)
        guard buyer == invoice.issued.buyer else {
            throw .refuse(.notInvoiceBuyer, "only the buyer \(invoice.issued.buyer) may do this to invoice \(invoice.id)")
        }
        return invoice
    }

    private static func existing(_ id: InvoiceID, in context: TransactionContext) throws(RuleFailure) -> InvoiceRecord {
        guard let invoice = try context.record(InvoiceRecord.self, at: StateKey.invoice(id)) else {
            throw .refuse(.invoiceNotFound, "no invoice \(id)")
        }
        return invoice
    }

    private static func append(
        _ status: InvoiceStatus, reason: String, to invoice: InvoiceRecord, in context: inout TransactionContext
    ) throws(RuleFailure) {
        let event = InvoiceEventRecord(
            status: status, actor: context.sender, height: context.height, timeMillis: context.timeMillis,
            transaction: context.transaction, reason: reason)
        context.overlay.put(event, at: StateKey.invoiceEvent(invoice.id, invoice.eventCount))
        var updated = invoice
        updated.status = status
        updated.eventCount += 1
        context.overlay.put(updated, at: StateKey.invoice(invoice.id))
    }
}
