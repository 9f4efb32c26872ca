import Hummingbird
import Logging
import NodeAPIModel

/// The router serving the whole client API over `backend`. Each call builds
/// its own state (nonce cache, route table): nothing is global.
public func buildRouter(
    backend: some NodeBackend, metrics: NodeMetrics, configuration: APIConfiguration, logger: Logger
) -> Router<BasicRequestContext> {
    let configuration = configuration.sanitised
    let verifier = SignedRequestVerifier(
        suite: backend.suite,
        nonces: NonceCache(capacity: configuration.nonceCacheCapacity, memoryMillis: configuration.nonceMemoryMillis),
        limiter: KeyRateLimiter(
            perSecond: configuration.signedRequestsPerSecond, burst: configuration.signedRequestBurst,
            capacity: configuration.rateLimitedKeys),
        skewMillis: configuration.signedRequestSkewMillis, clock: configuration.clock)
    let api = APIContext(backend: backend, metrics: metrics, configuration: configuration, verifier: verifier)
    let endpoints = api.endpoints
    let table = RouteTable(routes: endpoints.map { RouteTable.Route(method: $0.method, pattern: $0.pattern) })

    let router = Router(context: BasicRequestContext.self)
    // Middleware applies to routes added after it, and to the not-found path.
    router.add(middleware: MetricsMiddleware(metrics: metrics))
    router.add(middleware: ErrorMiddleware(routes: table, logger: logger))
    for endpoint in endpoints {
        router.on(RouterPath(endpoint.pattern), method: endpoint.method) { request, context in
            let parameters = context.parameters
            let limit = configuration.requestTimeout + endpoint.extraTime(request)
            return try await Deadline.run(within: limit) { () async throws(APIError) -> Response in
                try await endpoint.handle(request, parameters)
            }
        }
    }
    return router
}

/// The API as a Hummingbird application; the runtime runs it as a service in
/// its ServiceGroup. `onServerRunning` gets the bound port (useful with port 0).
public func makeAPIServer(
    backend: some NodeBackend, metrics: NodeMetrics, configuration: APIConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let router = buildRouter(backend: backend, metrics: metrics, configuration: configuration, logger: logger)
    return Application(
        router: router,
        // An idle keep-alive connection is closed after a minute, so idle
        // clients cannot hold connections open without end.
        server: .http1(configuration: .init(idleTimeout: .seconds(60))),
        configuration: ApplicationConfiguration(
            address: .hostname(configuration.host, port: configuration.port), serverName: configuration.serverName),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
        logger: logger)
}
