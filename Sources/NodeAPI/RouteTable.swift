import Hummingbird

/// The routes the API serves, as `(method, pattern)` with `{name}` segments,
/// used to tell "no such path" (404) from "no such method here" (405). (The
/// docs/openapi.yaml test reads the router's own list, not this one.)
struct RouteTable: Sendable {
    struct Route: Sendable, Hashable {
        let method: HTTPRequest.Method
        let pattern: String
    }

    let routes: [Route]

    /// The error for a request that matched no route.
    func fallback(for request: Request) -> APIError {
        let path = request.uri.path
        let segments = Self.segments(path)
        let allowed = routes.filter { Self.matches(pattern: Self.segments($0.pattern), path: segments) }.map(\.method)
        guard !allowed.isEmpty else { return .unknownRoute(request.method, path) }
        let unique = Array(Set(allowed)).sorted { $0.rawValue < $1.rawValue }
        return .methodNotAllowed(request.method, path, allow: unique)
    }

    private static func segments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(pattern: [Substring], path: [Substring]) -> Bool {
        guard pattern.count == path.count else { return false }
        return zip(pattern, path).allSatisfy { p, s in (p.first == "{" && p.last == "}") || p == s }
    }
}
