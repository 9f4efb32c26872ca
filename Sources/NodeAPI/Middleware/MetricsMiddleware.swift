import Hummingbird

/// Records each request's latency under its route pattern. Outermost, so the
/// time covers error rendering and the status is the one the client gets.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: NodeMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let clock = ContinuousClock()
        let start = clock.now
        // Set by the router before the middleware chain of a matched route runs.
        let route = context.endpointPath ?? "unmatched"
        let method = MetricLabels.methods.contains(request.method) ? request.method.rawValue : "OTHER"
        do {
            let response = try await next(request, context)
            metrics.recordRequest(route: route, method: method, status: response.status.code, duration: start.duration(to: clock.now))
            return response
        } catch {
            // Only reachable if the error middleware itself failed; still count it.
            metrics.recordRequest(route: route, method: method, status: 500, duration: start.duration(to: clock.now))
            throw error
        }
    }
}

enum MetricLabels {
    /// Methods a client can send are unbounded; label values must not be.
    static let methods: Set<HTTPRequest.Method> = [.get, .head, .post, .put, .delete, .patch, .options]
}
