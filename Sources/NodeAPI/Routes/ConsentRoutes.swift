import Hummingbird
import LedgerCore
import LedgerState
import NodeAPIModel

/// Holder-only reads, each behind a signed request (see `SignedRequest`):
/// `GET /v1/holders/{holderKey}/consents` and `GET /v1/consents/{id}/uses`.
/// (A grant with its proof comes with the counter check: `POST /v1/verify?proof=true`.)
///
/// Order of checks: the request's own inputs (400), then who signed it (401),
/// then whether that key may read this (403), so a refusal never depends on
/// data the caller may not see.
extension APIContext {
    var consentEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/holders/{holderKey}/consents") { (request, parameters) async throws(APIError) -> Response in
                let holder = try HexInput.publicKey(parameters.text("holderKey"), field: "holderKey")
                let limit = try QueryInput(request, allowed: ["limit"]).limit(default: 100, cap: LedgerQueries.maxPageSize)
                let signer = try verifier.verify(request)
                guard signer == holder else {
                    throw .notHolder("a holder's grants are shown only to a request signed by that holder's key")
                }
                let records = try await query { queries throws(LedgerError) in try queries.consents(holder: holder, limit: limit) }
                return JSONResponse.make(ConsentListView(holder: holder.hex, consents: records.map(ConsentView.init)))
            },
            Endpoint(.get, "/v1/consents/{id}/uses") { (request, parameters) async throws(APIError) -> Response in
                let id = try HexInput.consentID(parameters.text("id"))
                let query = try QueryInput(request, allowed: ["from", "limit"])
                let from = try query.uint64("from") ?? 0
                let limit = try query.limit(default: 100, cap: LedgerQueries.maxPageSize)
                let signer = try verifier.verify(request)
                let page = try await self.query { queries throws(LedgerError) -> UsesPage in
                    guard let record = try queries.consent(id) else { return .missing }
                    guard record.grant.holder == signer else { return .notHolder }
                    let uses = try queries.uses(of: id, from: from, limit: limit)
                    let views = uses.enumerated().map { ConsentUseView($1, number: from + UInt64($0)) }
                    let end = from + UInt64(views.count)
                    return .found(ConsentUsesView(consent: id.hex, uses: views, next: !views.isEmpty && end < record.uses ? end : nil))
                }
                switch page {
                case .missing: throw .notFound("no consent grant \(id.hex)")
                case .notHolder: throw .notHolder("a grant's uses are shown only to a request signed by the grant's holder")
                case let .found(view): return JSONResponse.make(view)
                }
            },
        ]
    }
}

private enum UsesPage: Sendable {
    case missing
    case notHolder
    case found(ConsentUsesView)
}
