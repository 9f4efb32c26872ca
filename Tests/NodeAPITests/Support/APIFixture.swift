import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerCrypto
import LedgerState
import Logging
import NodeAPI
import NodeAPIModel
import Synchronization

/// A node API over a fresh test chain, with a clock the test sets.
struct APIFixture: Sendable {
    let chain: TestChain
    let backend: TestBackend
    let metrics: NodeMetrics
    let clock: TestClock
    let configuration: APIConfiguration

    init(seed: UInt64 = 1, configure: (inout APIConfiguration) -> Void = { _ in }) throws {
        chain = try TestChain(seed: seed)
        backend = TestBackend(chain: chain)
        metrics = NodeMetrics()
        let clock = TestClock(TestChain.genesisTime)
        self.clock = clock
        var configuration = APIConfiguration(host: "127.0.0.1", port: 0, clock: { clock.now })
        configure(&configuration)
        self.configuration = configuration
    }

    static let logger = Logger(label: "node-api-tests")

    func app() -> some ApplicationProtocol {
        makeAPIServer(backend: backend, metrics: metrics, configuration: configuration, logger: Self.logger)
    }

    func router() -> Router<BasicRequestContext> {
        buildRouter(backend: backend, metrics: metrics, configuration: configuration, logger: Self.logger)
    }

    /// Runs `body` against the API through `setup` (`.router` or `.live`).
    func test<T: Sendable>(_ setup: TestingSetup = .router, _ body: @Sendable (any TestClientProtocol) async throws -> T) async throws -> T {
        try await app().test(setup, body)
    }

    /// Signed-request headers for `target`, by `key`, stamped with the test clock.
    func signed(_ target: String, by key: PrivateKey, method: String = "GET", timestamp: UInt64? = nil, nonce: [UInt8]? = nil) throws -> HTTPFields {
        let headers = try SignedRequest.sign(
            method: method, target: target, timestampMillis: timestamp ?? clock.now, nonce: nonce, key: key, suite: chain.suite)
        var fields = HTTPFields()
        for (name, value) in headers.fields { fields.set(name, value) }
        return fields
    }
}

extension HTTPFields {
    /// Sets a field by name (HTTPTypes' field type is not re-exported by Hummingbird).
    mutating func set(_ name: String, _ value: String) {
        self[HTTPFields.Element.Name(name)!] = value
    }
}

final class Flag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

final class TestClock: Sendable {
    private let value: Mutex<UInt64>
    init(_ start: UInt64) { value = Mutex(start) }
    var now: UInt64 { value.withLock { $0 } }
    func set(_ millis: UInt64) { value.withLock { $0 = millis } }
    func advance(_ millis: UInt64) { value.withLock { $0 += millis } }
}

extension TestClientProtocol {
    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: headers)
    }

    func post(_ uri: String, json: String, headers: HTTPFields = [:]) async throws -> TestResponse {
        var fields = headers
        fields[.contentType] = "application/json"
        return try await execute(uri: uri, method: .post, headers: fields, body: ByteBuffer(string: json))
    }

    func post(_ uri: String, object: [String: Any], headers: HTTPFields = [:]) async throws -> TestResponse {
        let data = try JSONSerialization.data(withJSONObject: object)
        return try await post(uri, json: String(decoding: data, as: UTF8.self), headers: headers)
    }
}

extension TestResponse {
    /// The body as a JSON object; fails the test if it is not one.
    func json() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(body.readableBytesView))
        guard let dictionary = object as? [String: Any] else { throw TestFailure("not a JSON object: \(text)") }
        return dictionary
    }

    var text: String { String(buffer: body) }

    /// `code` of a JSON error body.
    func errorCode() throws -> String? { try json()["code"] as? String }
}
