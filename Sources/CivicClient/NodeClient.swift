import Foundation
import LedgerCore
import LedgerCrypto
import NodeAPIModel

/// A typed client of one node's HTTP API (docs/openapi.yaml). Answers decode
/// into the same `NodeAPIModel` types the node encodes, so the two cannot drift.
public struct NodeClient: Sendable {
    public let transport: any HTTPTransport
    /// Where the client is pointed, for messages.
    public let node: String

    public init(transport: any HTTPTransport, node: String) {
        self.transport = transport
        self.node = node
    }

    public init(baseURL: URL, timeout: Duration = .seconds(15)) {
        self.init(transport: URLSessionTransport(baseURL: baseURL, timeout: timeout), node: baseURL.absoluteString)
    }

    // MARK: chain

    public func status() async throws(ClientError) -> StatusView {
        try await get("/v1/status")
    }

    public func block(height: UInt64) async throws(ClientError) -> BlockView {
        try await get("/v1/blocks/\(height)")
    }

    public func receipts(height: UInt64) async throws(ClientError) -> BlockReceiptsView {
        try await get("/v1/blocks/\(height)/receipts")
    }

    public func bureaus() async throws(ClientError) -> BureauListView {
        try await get("/v1/bureaus")
    }

    // MARK: transactions

    /// What the node did with a submitted transaction.
    public enum Admission: Sendable, Hashable {
        /// Admitted now (or already known): its id.
        case admitted(txid: String)
        /// The mempool is full; try again after this many seconds.
        case full(retryAfterSeconds: Int)
    }

    /// Submits one transaction. The node answers 202 with the id, 503 with
    /// `Retry-After` when its mempool is full, or 400 with the reason it
    /// refused the transaction (`rejected`).
    public func submit(_ transaction: SignedTransaction) async throws(ClientError) -> Admission {
        let body = SubmitBody(transaction: Hex.encode(Canonical.encode(transaction)))
        let response = try await exchange("POST", "/v1/transactions", body: try encode(body))
        switch response.status {
        case 200, 202:
            let result = try decode(SubmitResultView.self, from: response, allowing: [200, 202])
            guard let txid = result.txid else { throw .badResponse("an admitted transaction without its txid") }
            return .admitted(txid: txid)
        case 503 where (try? JSONDecoder().decode(ErrorBody.self, from: response.body))?.code == "MEMPOOL_FULL":
            let seconds = response.headers["retry-after"].flatMap { Int($0) } ?? 1
            return .full(retryAfterSeconds: min(max(seconds, 1), 60))
        case 400:
            guard let body = try? JSONDecoder().decode(ErrorBody.self, from: response.body) else { throw refusal(response) }
            throw .rejected(code: body.code, message: body.message)
        default:
            throw refusal(response)
        }
    }

    public enum ReceiptLookup: Sendable, Hashable {
        case committed(ReceiptView)
        case pending
        case unknown
    }

    /// A transaction's receipt; with `waitMillis` the node holds the request
    /// until the transaction commits or the wait runs out.
    public func receipt(txid: String, waitMillis: UInt64? = nil) async throws(ClientError) -> ReceiptLookup {
        let query = waitMillis.map { "?wait=\($0)" } ?? ""
        let response = try await exchange("GET", "/v1/transactions/\(try pathHex(txid, "txid"))/receipt\(query)")
        switch response.status {
        case 200: return .committed(try decode(ReceiptView.self, from: response))
        case 202: return .pending
        case 404: return .unknown
        default: throw refusal(response)
        }
    }

    // MARK: licences and the counter check

    public func licence(id: String) async throws(ClientError) -> LicenceView {
        try await get("/v1/licences/\(try pathHex(id, "licence id"))")
    }

    public func licences(holder: String, type: String? = nil, limit: Int? = nil) async throws(ClientError) -> HolderLicencesView {
        var query: [(String, String)] = []
        if let type { query.append(("type", type)) }
        if let limit { query.append(("limit", String(limit))) }
        return try await get("/v1/holders/\(try pathHex(holder, "holder key"))/licences" + Self.queryString(query))
    }

    /// The counter check. With a consent, `key` (the office's, or the holder's)
    /// signs the request: the node checks a grant only for them.
    public func verify(_ body: VerifyBody, signedBy key: PrivateKey? = nil, suite: (any CryptoSuite)? = nil) async throws(ClientError) -> VerdictView {
        try await post("/v1/verify", body, signedBy: key, suite: suite)
    }

    // MARK: holder-only reads, signed by the holder's key

    public func consents(holder key: PrivateKey, suite: any CryptoSuite, limit: Int? = nil) async throws(ClientError) -> ConsentListView {
        let target = "/v1/holders/\(key.publicKey.compressed.hex)/consents" + Self.queryString(limit.map { [("limit", String($0))] } ?? [])
        return try await signedGet(target, key: key, suite: suite)
    }

    public func consentUses(
        consent: String, from: UInt64 = 0, limit: Int? = nil, holder key: PrivateKey, suite: any CryptoSuite
    ) async throws(ClientError) -> ConsentUsesView {
        var query = [("from", String(from))]
        if let limit { query.append(("limit", String(limit))) }
        let target = "/v1/consents/\(try pathHex(consent, "consent id"))/uses" + Self.queryString(query)
        return try await signedGet(target, key: key, suite: suite)
    }

    // MARK: invoices

    public func invoice(code: String, number: String) async throws(ClientError) -> InvoiceTraceView {
        try await get("/v1/invoices/\(try pathSegment(code, "invoice code"))/\(try pathSegment(number, "invoice number"))")
    }

    public struct InvoiceFilter: Sendable, Hashable {
        /// A taxpayer's credit code (统一社会信用代码) or a public key in hex.
        public var party: String
        /// `seller` or `buyer`.
        public var role: String
        public var fromMillis: UInt64?
        public var toMillis: UInt64?
        public var cursor: String?
        public var limit: Int?

        public init(party: String, role: String, fromMillis: UInt64? = nil, toMillis: UInt64? = nil, cursor: String? = nil, limit: Int? = nil) {
            self.party = party
            self.role = role
            self.fromMillis = fromMillis
            self.toMillis = toMillis
            self.cursor = cursor
            self.limit = limit
        }
    }

    public func invoices(_ filter: InvoiceFilter) async throws(ClientError) -> InvoicePageView {
        var query = [("party", filter.party), ("role", filter.role)]
        if let from = filter.fromMillis { query.append(("from", String(from))) }
        if let to = filter.toMillis { query.append(("to", String(to))) }
        if let cursor = filter.cursor { query.append(("cursor", cursor)) }
        if let limit = filter.limit { query.append(("limit", String(limit))) }
        return try await get("/v1/invoices" + Self.queryString(query))
    }

    // MARK: plumbing

    func get<T: Decodable>(_ target: String) async throws(ClientError) -> T {
        try decode(T.self, from: try await exchange("GET", target))
    }

    func signedGet<T: Decodable>(_ target: String, key: PrivateKey, suite: any CryptoSuite) async throws(ClientError) -> T {
        try decode(T.self, from: try await exchange("GET", target, headers: try signatureHeaders("GET", target, key: key, suite: suite)))
    }

    /// A POST, signed when `key` is given (then `suite`, the chain's, must be too).
    func post<T: Decodable>(
        _ target: String, _ body: some Encodable, signedBy key: PrivateKey?, suite: (any CryptoSuite)?
    ) async throws(ClientError) -> T {
        var headers: [String: String] = [:]
        if let key {
            guard let suite else { throw .badInput("a signed request needs the chain's crypto suite") }
            headers = try signatureHeaders("POST", target, key: key, suite: suite)
        }
        return try decode(T.self, from: try await exchange("POST", target, headers: headers, body: try encode(body)))
    }

    /// The four X-Civic-* headers of a signed request.
    func signatureHeaders(_ method: String, _ target: String, key: PrivateKey, suite: any CryptoSuite) throws(ClientError) -> [String: String] {
        let millis = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        let headers: SignedRequestHeaders
        do {
            headers = try SignedRequest.sign(method: method, target: target, timestampMillis: millis, key: key, suite: suite)
        } catch {
            throw .badInput("cannot sign the request: \(error)")
        }
        var fields: [String: String] = [:]
        for field in headers.fields { fields[field.name] = field.value }
        return fields
    }

    func exchange(_ method: String, _ target: String, headers: [String: String] = [:], body: Data? = nil) async throws(ClientError) -> HTTPResponseParts {
        try await transport.send(HTTPRequestParts(method: method, target: target, headers: headers, body: body))
    }

    func decode<T: Decodable>(_ type: T.Type, from response: HTTPResponseParts, allowing statuses: Set<Int> = [200]) throws(ClientError) -> T {
        guard statuses.contains(response.status) else { throw refusal(response) }
        do {
            return try JSONDecoder().decode(T.self, from: response.body)
        } catch {
            throw .badResponse("HTTP \(response.status) body is not a \(T.self): \(Self.describe(error))")
        }
    }

    func refusal(_ response: HTTPResponseParts) -> ClientError {
        if let body = try? JSONDecoder().decode(ErrorBody.self, from: response.body) {
            if body.code == "UNKNOWN_ROUTE" || body.code == "METHOD_NOT_ALLOWED" {
                return .badResponse("the node does not serve this request (\(body.code)); is it an older version?")
            }
            return .refused(status: response.status, code: body.code, message: body.message)
        }
        let text = String(decoding: response.body.prefix(200), as: UTF8.self)
        return .badResponse("HTTP \(response.status) without an error body: \(text)")
    }

    func encode(_ value: some Encodable) throws(ClientError) -> Data {
        do { return try JSONEncoder().encode(value) } catch { throw .badInput("cannot encode the request: \(error)") }
    }

    /// Ids go into paths; only hex is let through, so nothing can add a path segment or a query.
    func pathHex(_ text: String, _ what: String) throws(ClientError) -> String {
        guard !text.isEmpty, text.count <= 256, text.allSatisfy({ $0.isASCII && $0.isHexDigit }) else {
            throw .badInput("the \(what) must be hex, got \"\(text.prefix(80))\"")
        }
        return text.lowercased()
    }

    func pathSegment(_ text: String, _ what: String) throws(ClientError) -> String {
        guard !text.isEmpty, text.utf8.count <= 64,
            let encoded = text.addingPercentEncoding(withAllowedCharacters: Self.unreserved)
        else { throw .badInput("the \(what) must be 1 to 64 characters, got \"\(text.prefix(80))\"") }
        return encoded
    }

    /// RFC 3986 unreserved characters; everything else is percent-encoded.
    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func queryString(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        let parts = items.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? "")"
        }
        return "?" + parts.joined(separator: "&")
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let DecodingError.keyNotFound(key, _): return "missing field \(key.stringValue)"
        case let DecodingError.typeMismatch(_, context), let DecodingError.valueNotFound(_, context),
            let DecodingError.dataCorrupted(context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        default: return "\(error)"
        }
    }
}
