import HummingbirdTesting
import LedgerCore
import LedgerCrypto
@testable import NodeAPI
import NodeAPIModel
import Testing

/// A key's budget of signed requests (`KeyRateLimiter`), on the test clock.
@Suite("Signed requests: a budget per key")
struct RateLimitTests {
    @Test("Past its burst a key waits (429, Retry-After); other keys and refused requests spend nothing of it")
    func budget() async throws {
        let fixture = try APIFixture { configuration in
            configuration.signedRequestsPerSecond = 1
            configuration.signedRequestBurst = 2
        }
        let busy = try fixture.chain.newKey()
        let other = try fixture.chain.newKey()
        @Sendable func target(_ key: PrivateKey) -> String { "/v1/holders/\(key.publicKey.compressed.hex)/consents" }
        try await fixture.test(.router) { client in
            // Refused before the budget is counted: unsigned, and signed by another key than claimed.
            #expect(try await client.get(target(busy)).status == .unauthorized)
            var forged = try fixture.signed(target(busy), by: other)
            forged.set(SignedRequest.keyHeader, busy.publicKey.compressed.hex)
            #expect(try await client.get(target(busy), headers: forged).status == .unauthorized)

            for _ in 0..<2 {
                #expect(try await client.get(target(busy), headers: try fixture.signed(target(busy), by: busy)).status == .ok)
            }
            let limited = try await client.get(target(busy), headers: try fixture.signed(target(busy), by: busy))
            #expect(limited.status == .tooManyRequests)
            #expect(try limited.errorCode() == "RATE_LIMITED")
            #expect(limited.headers[.retryAfter] == "1")
            #expect(try await client.get(target(other), headers: try fixture.signed(target(other), by: other)).status == .ok)

            fixture.clock.advance(1_000)
            #expect(try await client.get(target(busy), headers: try fixture.signed(target(busy), by: busy)).status == .ok)
        }
    }

    @Test func theLimiterStaysBoundedAndForgetsOnlyWhatItCanAfford() {
        let limiter = KeyRateLimiter(perSecond: 1, burst: 2, capacity: 3)
        // Four keys at capacity three: the one whose bucket refilled is forgotten.
        #expect(limiter.take([1], now: 0) == nil)
        #expect(limiter.take([2], now: 5_000) == nil)
        #expect(limiter.take([2], now: 5_000) == nil)
        #expect(limiter.take([3], now: 5_000) == nil)
        #expect(limiter.take([4], now: 5_000) == nil)
        #expect(limiter.trackedKeys <= 3)
        // Key 2 spent its burst and is still tracked: refused until a token refills.
        #expect(limiter.take([2], now: 5_000) == 1)
        #expect(limiter.take([2], now: 6_000) == nil)
    }
}
