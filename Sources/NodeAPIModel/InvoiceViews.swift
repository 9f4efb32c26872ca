/// An e-invoice; amounts are integer fen (分).
public struct InvoiceView: Codable, Sendable, Hashable {
    public let id: String
    public let code: String
    public let number: String
    public let seller: String
    public let buyer: String
    public let amountFen: UInt64
    public let taxFen: UInt64
    public let documentDigest: String
    public let issuedAtMillis: UInt64
    /// `issued`, `claimed`, `reimbursed` or `reversed`.
    public let status: String

    public init(
        id: String, code: String, number: String, seller: String, buyer: String, amountFen: UInt64, taxFen: UInt64,
        documentDigest: String, issuedAtMillis: UInt64, status: String
    ) {
        self.id = id
        self.code = code
        self.number = number
        self.seller = seller
        self.buyer = buyer
        self.amountFen = amountFen
        self.taxFen = taxFen
        self.documentDigest = documentDigest
        self.issuedAtMillis = issuedAtMillis
        self.status = status
    }
}

/// One step of an invoice's life (全流程追溯).
public struct InvoiceEventView: Codable, Sendable, Hashable {
    public let status: String
    public let actor: String
    public let height: UInt64
    public let timeMillis: UInt64
    public let transaction: String
    public let reason: String

    public init(status: String, actor: String, height: UInt64, timeMillis: UInt64, transaction: String, reason: String) {
        self.status = status
        self.actor = actor
        self.height = height
        self.timeMillis = timeMillis
        self.transaction = transaction
        self.reason = reason
    }
}

public struct InvoiceTraceView: Codable, Sendable, Hashable {
    public let invoice: InvoiceView
    /// Issue first.
    public let trace: [InvoiceEventView]

    public init(invoice: InvoiceView, trace: [InvoiceEventView]) {
        self.invoice = invoice
        self.trace = trace
    }
}

public struct InvoicePageView: Codable, Sendable, Hashable {
    public let party: String
    public let role: String
    public let invoices: [InvoiceView]
    /// Pass as `cursor` for the next page; omitted when this page was the last.
    public let nextCursor: String?

    public init(party: String, role: String, invoices: [InvoiceView], nextCursor: String?) {
        self.party = party
        self.role = role
        self.invoices = invoices
        self.nextCursor = nextCursor
    }
}
