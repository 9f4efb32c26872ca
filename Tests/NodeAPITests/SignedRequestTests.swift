import LedgerCore
import LedgerCrypto
import LedgerTesting
@testable import NodeAPI
import Testing

@Suite("Signed requests and the nonce cache")
struct SignedRequestTests {
    @Test("The canonical body is the documented layout, byte for byte")
    func layout() {
        let body = SignedRequest.canonicalBody(
            method: "GET", target: "/v1/x?a=1", timestampMillis: 0x0102_0304_0506_0708, nonce: [0xAA, 0xBB])
        #expect(body == [0x00, 0x03] + Array("GET".utf8) + [0x00, 0x00, 0x00, 0x09] + Array("/v1/x?a=1".utf8)
            + [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08] + [0x02, 0xAA, 0xBB])
        // Inside the API-request signing domain, not the transaction one.
        #expect(SignedRequest.signingMessage(method: "GET", target: "/v1/x?a=1", timestampMillis: 0x0102_0304_0506_0708, nonce: [0xAA, 0xBB])
            == SigningDomain.apiRequest.message(for: body))
    }

    @Test("sign() produces headers whose signature verifies over that message")
    func signVerifies() throws {
        let suite = CryptoSuites.standard
        var rng = SeededGenerator(seed: 9)
        let key = try TestChain.key(suite, &rng)
        let nonce = [UInt8](repeating: 7, count: 16)
        let headers = try SignedRequest.sign(method: "GET", target: "/a", timestampMillis: 5, nonce: nonce, key: key, suite: suite)
        #expect(headers.key == key.publicKey.compressed.hex)
        #expect(headers.timestamp == "5")
        #expect(headers.nonce == String(repeating: "07", count: 16))
        let signature = try #require(Hex.decode(headers.signature))
        let message = SignedRequest.signingMessage(method: "GET", target: "/a", timestampMillis: 5, nonce: nonce)
        #expect(suite.verify(signature: signature, for: message, publicKey: key.publicKey))
        #expect(!suite.verify(signature: signature, for: SignedRequest.signingMessage(method: "GET", target: "/b", timestampMillis: 5, nonce: nonce), publicKey: key.publicKey))
        #expect(throws: SignedRequestError.badNonceLength(4)) {
            try SignedRequest.sign(method: "GET", target: "/a", timestampMillis: 5, nonce: [1, 2, 3, 4], key: key, suite: suite)
        }
        #expect(throws: SignedRequestError.wrongSuite(key: .standard, chain: .guomi)) {
            try SignedRequest.sign(method: "GET", target: "/a", timestampMillis: 5, key: key, suite: CryptoSuites.guomi)
        }
    }

    @Test("A nonce is refused while remembered, per key, and forgotten after the memory window")
    func nonceMemory() {
        let cache = NonceCache(capacity: 10, memoryMillis: 600_000)
        let key = [UInt8](repeating: 2, count: 33)
        let other = [UInt8](repeating: 3, count: 33)
        #expect(cache.admit(key: key, nonce: [1], timestamp: 1_000, now: 1_000) == .fresh)
        #expect(cache.admit(key: key, nonce: [1], timestamp: 1_000, now: 1_000 + 599_999) == .reused)
        #expect(cache.admit(key: other, nonce: [1], timestamp: 1_000, now: 2_000) == .fresh)
        #expect(cache.admit(key: key, nonce: [1], timestamp: 1_000, now: 1_000 + 600_000) == .fresh)
    }

    @Test("At capacity the oldest pair goes, and every request stamped at or before it is refused")
    func capacityFloor() {
        let cache = NonceCache(capacity: 2, memoryMillis: 600_000)
        let key = [UInt8](repeating: 2, count: 33)
        #expect(cache.admit(key: key, nonce: [1], timestamp: 500, now: 1_000) == .fresh)
        #expect(cache.admit(key: key, nonce: [2], timestamp: 700, now: 1_000) == .fresh)
        #expect(cache.admit(key: key, nonce: [3], timestamp: 600, now: 1_000) == .fresh)  // evicts nonce 1 (stamped 500)
        #expect(cache.count == 2)
        // Nonce 1 is forgotten, but its replay is still refused by the floor.
        #expect(cache.admit(key: key, nonce: [1], timestamp: 500, now: 1_001) == .belowFloor(500))
        #expect(cache.admit(key: key, nonce: [9], timestamp: 500, now: 1_001) == .belowFloor(500))
        // Remembered ones are still replays; later timestamps pass.
        #expect(cache.admit(key: key, nonce: [2], timestamp: 700, now: 1_001) == .reused)
        #expect(cache.admit(key: key, nonce: [4], timestamp: 501, now: 1_001) == .fresh)
    }
}
