import Hummingbird
import LedgerState
import NodeAPIModel

/// One route: method, pattern (`{name}` captures, the same spelling as
/// docs/openapi.yaml) and its handler. Routes are listed as values first and
/// registered after, so the 404/405 fallback knows them all.
struct Endpoint: Sendable {
    let method: HTTPRequest.Method
    let pattern: String
    /// Added to the request timeout for this request (a receipt's `?wait=`).
    let extraTime: @Sendable (Request) -> Duration
    let handle: @Sendable (Request, Parameters) async throws(APIError) -> Response

    init(
        _ method: HTTPRequest.Method, _ pattern: String,
        extraTime: @escaping @Sendable (Request) -> Duration = { _ in .zero },
        handle: @escaping @Sendable (Request, Parameters) async throws(APIError) -> Response
    ) {
        self.method = method
        self.pattern = pattern
        self.extraTime = extraTime
        self.handle = handle
    }
}

/// What every handler shares: the backend, the limits, signed-request checks.
struct APIContext<Backend: NodeBackend>: Sendable {
    let backend: Backend
    let metrics: NodeMetrics
    let configuration: APIConfiguration
    let verifier: SignedRequestVerifier

    /// Runs a read over one snapshot, with the backend's errors as API errors.
    func query<T: Sendable>(_ body: @escaping @Sendable (LedgerQueries) throws(LedgerError) -> T) async throws(APIError) -> T {
        do {
            return try await backend.withQueries(body)
        } catch {
            throw .backend(error, retryAfterSeconds: configuration.unavailableRetryAfterSeconds)
        }
    }

    func backendError(_ error: NodeBackendError) -> APIError {
        .backend(error, retryAfterSeconds: configuration.unavailableRetryAfterSeconds)
    }

    /// Every route, in the order docs/openapi.yaml lists them.
    var endpoints: [Endpoint] {
        transactionEndpoints + blockEndpoints + statusEndpoints + licenceEndpoints + consentEndpoints
            + invoiceEndpoints + bureauEndpoints + operationsEndpoints
    }
}
