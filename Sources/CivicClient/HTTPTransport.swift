import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange as the client needs it. The seam between `NodeClient`
/// and the network: tests answer from a table, the CLI uses `URLSessionTransport`.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequestParts) async throws(ClientError) -> HTTPResponseParts
}

public struct HTTPRequestParts: Sendable, Hashable {
    public var method: String
    /// Path and query exactly as sent (what a signed request signs).
    public var target: String
    public var headers: [String: String]
    public var body: Data?

    public init(method: String, target: String, headers: [String: String] = [:], body: Data? = nil) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }
}

public struct HTTPResponseParts: Sendable, Hashable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Foundation's URLSession against a node's base URL (`http://127.0.0.1:8080`).
public struct URLSessionTransport: HTTPTransport {
    /// Bodies the client accepts from a node; the largest answer (a page of
    /// invoices or a block's receipts) is far below this.
    public static let maxResponseBytes = 16 << 20

    public let baseURL: URL
    public let timeout: Duration

    public init(baseURL: URL, timeout: Duration = .seconds(15)) {
        self.baseURL = baseURL
        self.timeout = timeout
    }

    public func send(_ request: HTTPRequestParts) async throws(ClientError) -> HTTPResponseParts {
        let text = baseURL.absoluteString.trimmingSuffix("/") + request.target
        guard let url = URL(string: text) else { throw .badURL(text) }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        urlRequest.httpBody = request.body
        urlRequest.timeoutInterval = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if request.body != nil { urlRequest.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await URLSession.shared.data(for: urlRequest)
        } catch {
            throw .unreachable(node: baseURL.absoluteString, reason: Self.describe(error))
        }
        guard let http = response as? HTTPURLResponse else { throw .badResponse("not an HTTP response from \(text)") }
        guard data.count <= Self.maxResponseBytes else { throw .badResponse("an answer of \(data.count) bytes is over the client's limit") }
        var headers: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
        }
        return HTTPResponseParts(status: http.statusCode, headers: headers, body: data)
    }

    private static func describe(_ error: any Error) -> String {
        if let urlError = error as? URLError {
            switch urlError.code {
            case .cannotConnectToHost: return "connection refused"
            case .timedOut: return "no answer in time"
            case .cannotFindHost: return "unknown host"
            case .networkConnectionLost: return "the connection was lost"
            default: return urlError.localizedDescription
            }
        }
        return "\(error)"
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
