import Hummingbird
import NodeAPIModel

/// `GET /v1/status`.
extension APIContext {
    var statusEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/status") { (request, _) async throws(APIError) -> Response in
                _ = try QueryInput(request, allowed: [])
                return JSONResponse.make(StatusView(await backend.status()))
            }
        ]
    }
}
