import LedgerCore
import LedgerCrypto
import NodeAPIModel
import Testing

@Suite("Signed request layout")
struct SignedRequestLayoutTests {
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
        let key = try suite.generatePrivateKey()
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
}
