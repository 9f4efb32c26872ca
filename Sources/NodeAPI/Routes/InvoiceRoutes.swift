import Hummingbird
import LedgerCore
import LedgerState
import NodeAPIModel

/// `GET /v1/invoices/{code}/{number}` (an invoice and its full trace) and
/// `GET /v1/invoices?party=…&role=…` (a taxpayer's invoices, paged).
extension APIContext {
    var invoiceEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/invoices/{code}/{number}", extraTime: { request in requestedWait(request) }) {
                (request, parameters) async throws(APIError) -> Response in
                let query = try QueryInput(request, allowed: ProofQuery.parameters)
                let code = parameters.text("code")
                let number = parameters.text("number")
                guard let id = InvoiceID(code: code, number: number) else {
                    throw .badParameter(
                        "invoice", "发票代码 is \(InvoiceID.codeRule.explanation), 发票号码 is \(InvoiceID.numberRule.explanation)")
                }
                if let proof = try ProofQuery.parse(query, maxWaitMillis: maxWaitMillis) {
                    return try await proven(proof) { queries throws(LedgerError) in
                        LedgerStateKey.invoiceTrace(id, eventCount: try queries.invoice(id)?.invoice.eventCount ?? 0)
                    }
                }
                let trace = try await self.query { queries throws(LedgerError) in try queries.invoice(id) }
                guard let trace else { throw .notFound("no invoice \(id)") }
                return JSONResponse.make(InvoiceTraceView(trace))
            },
            Endpoint(.get, "/v1/invoices") { (request, _) async throws(APIError) -> Response in
                try await invoicePage(request)
            },
        ]
    }

    private func invoicePage(_ request: Request) async throws(APIError) -> Response {
        let query = try QueryInput(request, allowed: ["party", "role", "from", "to", "cursor", "limit"])
        guard let partyText = query.string("party") else { throw .badParameter("party", "required: a taxpayer id or key") }
        let role = query.string("role")
        guard role == "seller" || role == "buyer" else { throw .badParameter("role", "required: seller or buyer") }
        let from = try query.uint64("from") ?? 0
        let to = try query.uint64("to") ?? .max
        guard from <= to else { throw .badParameter("from", "must not be after `to`") }
        let cursor = try query.string("cursor").map { text throws(APIError) in try InvoiceCursorText.parse(text) }
        let limit = try query.limit(default: 100, cap: LedgerQueries.maxPageSize)
        let party = try PartyInput.parse(partyText)

        let page = try await self.query { queries throws(LedgerError) -> InvoicePageResult in
            let taxpayer: TaxpayerID
            switch party {
            case let .taxpayer(id):
                taxpayer = id
            case let .key(key):
                guard case let .registered(.taxpayer(id))? = try queries.owner(of: key) else { return .unknownKey }
                taxpayer = id
            }
            let side: LedgerQueries.InvoiceParty = role == "seller" ? .seller(taxpayer) : .buyer(taxpayer)
            let page = try queries.invoices(side, fromMillis: from, toMillis: to, after: cursor, limit: limit)
            return .found(
                InvoicePageView(
                    party: taxpayer.value, role: role ?? "", invoices: page.invoices.map(InvoiceView.init),
                    nextCursor: page.next.map(InvoiceCursorText.format)))
        }
        switch page {
        case .unknownKey: throw .notFound("key \(partyText) is not a registered taxpayer's key")
        case let .found(view): return JSONResponse.make(view)
        }
    }
}

private enum InvoicePageResult: Sendable {
    case unknownKey
    case found(InvoicePageView)
}

/// `party` is a taxpayer's 统一社会信用代码 (18 characters) or its key (66 hex).
private enum PartyInput: Sendable {
    case taxpayer(TaxpayerID)
    case key(PublicKeyBytes)

    static func parse(_ text: String) throws(APIError) -> PartyInput {
        if let id = TaxpayerID(text) { return .taxpayer(id) }
        if text.utf8.count == 2 * PublicKeyBytes.byteCount { return .key(try HexInput.publicKey(text, field: "party")) }
        throw .badParameter("party", "expected a taxpayer id (\(TaxpayerID.rule.explanation)) or a 66-hex-character key")
    }
}

/// The page cursor as text: `<issuedAtMillis>-<发票代码>-<发票号码>` of the
/// page's last invoice. Clients pass it back unchanged.
enum InvoiceCursorText {
    static func format(_ cursor: LedgerQueries.InvoiceCursor) -> String {
        "\(cursor.issuedAtMillis)-\(cursor.invoice.code)-\(cursor.invoice.number)"
    }

    static func parse(_ text: String) throws(APIError) -> LedgerQueries.InvoiceCursor {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, let millis = DecimalInput.uint64(parts[0]),
              let id = InvoiceID(code: String(parts[1]), number: String(parts[2]))
        else {
            throw .badParameter("cursor", "not a cursor this API gave out (pass `nextCursor` back unchanged)")
        }
        return LedgerQueries.InvoiceCursor(issuedAtMillis: millis, invoice: id)
    }
}
