import Hummingbird
import LedgerState
import NodeAPIModel

/// `GET /health` and `GET /metrics`, for load balancers and Prometheus.
extension APIContext {
    var operationsEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/health") { (request, _) async throws(APIError) -> Response in
                _ = try QueryInput(request, allowed: [])
                let status = await backend.status()
                // Healthy means the node can answer reads now: the backend
                // throws `unavailable` while starting, syncing or on a store
                // fault, which becomes 503 with Retry-After.
                _ = try await query { queries throws(LedgerError) in try queries.head() }
                return JSONResponse.make(
                    HealthView(status: "ok", height: status.height, view: status.view, changingView: status.changingView))
            },
            Endpoint(.get, "/metrics") { (request, _) async throws(APIError) -> Response in
                _ = try QueryInput(request, allowed: [])
                return Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
            },
        ]
    }
}
