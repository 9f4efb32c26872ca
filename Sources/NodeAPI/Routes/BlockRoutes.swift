import Hummingbird
import LedgerCore

/// `GET /v1/blocks/{height}`, `GET /v1/blocks/by-hash/{hash}`.
extension APIContext {
    var blockEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/blocks/{height}") { (request, parameters) async throws(APIError) -> Response in
                _ = try QueryInput(request, allowed: [])
                let text = parameters.text("height")
                guard let height = DecimalInput.uint64(text) else {
                    throw .badParameter("height", "expected an unsigned decimal integer")
                }
                let stored: StoredBlock?
                do throws(NodeBackendError) { stored = try await backend.block(at: Height(height)) } catch { throw backendError(error) }
                guard let stored else { throw .notFound("no committed block at height \(height)") }
                return JSONResponse.make(BlockView(stored, suite: backend.suite))
            },
            Endpoint(.get, "/v1/blocks/by-hash/{hash}") { (request, parameters) async throws(APIError) -> Response in
                _ = try QueryInput(request, allowed: [])
                let hash = try HexInput.digest(parameters.text("hash"), field: "hash")
                let stored: StoredBlock?
                do throws(NodeBackendError) { stored = try await backend.block(hash: hash) } catch { throw backendError(error) }
                guard let stored else { throw .notFound("no committed block has hash \(hash.hex)") }
                return JSONResponse.make(BlockView(stored, suite: backend.suite))
            },
        ]
    }
}
