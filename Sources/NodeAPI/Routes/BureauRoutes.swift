import Hummingbird
import LedgerState
import NodeAPIModel

/// `GET /v1/bureaus`: the current bureau set and what each may do.
extension APIContext {
    var bureauEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/bureaus") { (request, _) async throws(APIError) -> Response in
                _ = try QueryInput(request, allowed: [])
                let view = try await query { queries throws(LedgerError) -> BureauListView in
                    let bureaus = try queries.bureaus()
                    var catalogue: [LicenceTypeCode: LicenceTypeInfo] = [:]
                    for code in Set(bureaus.flatMap(\.rights.licenceTypes)) {
                        catalogue[code] = try queries.licenceType(code)
                    }
                    return BureauListView(bureaus: bureaus.map { BureauView($0, catalogue: catalogue) })
                }
                return JSONResponse.make(view)
            }
        ]
    }
}
