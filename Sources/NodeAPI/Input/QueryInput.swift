import Hummingbird

/// The query string of one request, checked against the parameters its route
/// knows: an unknown or repeated parameter is refused (a typo such as `limt`
/// would otherwise be silently ignored), and each value is parsed strictly.
struct QueryInput: Sendable {
    private let values: [String: String]

    init(_ request: Request, allowed: Set<String>) throws(APIError) {
        var values: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key)
            guard allowed.contains(name) else {
                let known = allowed.isEmpty ? "none" : allowed.sorted().joined(separator: ", ")
                throw .badParameter(name, "unknown query parameter (this route takes: \(known))")
            }
            guard values[name] == nil else { throw .badParameter(name, "given more than once") }
            values[name] = String(value)
        }
        self.values = values
    }

    func string(_ name: String) -> String? { values[name] }

    func uint64(_ name: String) throws(APIError) -> UInt64? {
        guard let text = values[name] else { return nil }
        guard let value = DecimalInput.uint64(text) else {
            throw .badParameter(name, "expected an unsigned decimal integer, got \(text.prefix(40))")
        }
        return value
    }

    /// A page size: at least 1, capped at `cap` (asking for more is not an
    /// error, the page is just the cap long; the response says how many came).
    func limit(default fallback: Int, cap: Int) throws(APIError) -> Int {
        guard let value = try uint64("limit") else { return fallback }
        guard value >= 1 else { throw .badParameter("limit", "must be at least 1") }
        return Int(min(value, UInt64(cap)))
    }
}

/// Path parameters, always present when the route matched.
extension Parameters {
    func text(_ name: String) -> String { get(name) ?? "" }
}
