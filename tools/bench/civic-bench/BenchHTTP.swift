import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// One pooled HTTP/1.1 client for a whole benchmark (AsyncHTTPClient on
/// SwiftNIO): keep-alive connections, many requests in flight, little CPU
/// per request, so the load generator is not what limits the figures.
final class BenchHTTP: Sendable {
    let client: HTTPClient

    init(connectionsPerHost: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost)
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }

    struct Answer: Sendable {
        let status: Int
        /// Seconds from a `Retry-After` header, if the answer carried one.
        var retryAfterSeconds: Int? = nil
        let body: ByteBuffer
        var data: Data { Data(body.readableBytesView) }
    }

    func send(
        _ method: HTTPMethod, _ url: String, body: String? = nil, headers: [(String, String)] = [], timeout: TimeAmount = .seconds(60)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await client.execute(request, timeout: timeout)
        let bytes = try await response.body.collect(upTo: 64 << 20)
        let retryAfter = response.headers.first(name: "Retry-After").flatMap { Int($0) }
        return Answer(status: Int(response.status.code), retryAfterSeconds: retryAfter, body: bytes)
    }

    func json<T: Decodable>(_ type: T.Type, _ url: String) async throws -> T {
        let answer = try await send(.GET, url)
        guard answer.status == 200 else { throw BenchError("GET \(url) answered \(answer.status)") }
        return try JSONDecoder().decode(T.self, from: answer.data)
    }

    func shutdown() async {
        try? await client.shutdown()
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
