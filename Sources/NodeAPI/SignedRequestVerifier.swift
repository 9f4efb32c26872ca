import Hummingbird
import LedgerCore
import LedgerCrypto
import NodeAPIModel

/// Checks the four `X-Civic-*` headers of a request (layout in `SignedRequest`)
/// and answers with the key that signed it. Whether that key may read what it
/// asks for is the route's decision.
struct SignedRequestVerifier: Sendable {
    let suite: any CryptoSuite
    let nonces: NonceCache
    let limiter: KeyRateLimiter
    let skewMillis: UInt64
    let clock: @Sendable () -> UInt64

    /// Checks, cheapest first: headers well formed, timestamp in the window,
    /// signature, then the nonce and the key's request budget (both counted
    /// only for a correctly signed request, so nobody can burn another key's).
    func verify(_ request: Request) throws(APIError) -> PublicKeyBytes {
        let keyText = try header(request, SignedRequest.keyHeader)
        let timestampText = try header(request, SignedRequest.timestampHeader)
        let nonceText = try header(request, SignedRequest.nonceHeader)
        let signatureText = try header(request, SignedRequest.signatureHeader)

        guard let keyBytes = HexInput.bytes(keyText, count: PublicKeyBytes.byteCount...PublicKeyBytes.byteCount),
              let compressed = PublicKeyBytes(keyBytes)
        else {
            throw .badRequestSignature("\(SignedRequest.keyHeader) must be a compressed public key: 66 hex characters starting 02 or 03")
        }
        let publicKey: PublicKey
        do { publicKey = try suite.publicKey(sec1: keyBytes) } catch {
            throw .badRequestSignature("\(SignedRequest.keyHeader) is not a \(suite.id) public key: \(error)")
        }
        guard let timestamp = DecimalInput.uint64(timestampText) else {
            throw .badRequestSignature("\(SignedRequest.timestampHeader) must be Unix epoch milliseconds, in decimal")
        }
        guard let nonce = HexInput.bytes(nonceText, count: SignedRequest.nonceBytes) else {
            throw .badRequestSignature("\(SignedRequest.nonceHeader) must be 16 to 64 hex characters")
        }
        guard let signature = HexInput.bytes(signatureText, count: 1...72) else {
            throw .badRequestSignature("\(SignedRequest.signatureHeader) must be 2 to 144 hex characters")
        }

        let now = clock()
        let distance = now > timestamp ? now - timestamp : timestamp - now
        guard distance <= skewMillis else {
            throw .staleRequest(
                "\(SignedRequest.timestampHeader) \(timestamp) is \(distance) ms from the node's clock (\(now)); the limit is \(skewMillis) ms")
        }

        let message = SignedRequest.signingMessage(
            method: request.method.rawValue, target: request.head.path ?? "", timestampMillis: timestamp, nonce: nonce)
        guard suite.verify(signature: signature, for: message, publicKey: publicKey) else {
            throw .badRequestSignature(
                "the signature does not verify for this key over the method, target, timestamp and nonce (see docs/openapi.yaml, SignedRequest)")
        }

        switch nonces.admit(key: compressed.bytes, nonce: nonce, timestamp: timestamp, now: now) {
        case .fresh:
            if let seconds = limiter.take(compressed.bytes, now: now) { throw .rateLimited(retryAfterSeconds: seconds) }
            return compressed
        case .reused:
            throw .nonceReused()
        case let .belowFloor(floor):
            throw .staleRequest(
                "the node is under a burst of signed requests and can vouch only for timestamps after \(floor); sign again with the current time")
        }
    }

    private func header(_ request: Request, _ name: String) throws(APIError) -> String {
        // Field names compare case-insensitively; canonical names are lowercase.
        let canonical = name.lowercased()
        let values = request.headers.filter { $0.name.canonicalName == canonical }.map(\.value)
        guard let value = values.first else {
            throw .badRequestSignature("this read needs a signed request: \(name) is missing")
        }
        guard values.count == 1 else { throw .badRequestSignature("\(name) is given more than once") }
        return value
    }
}
