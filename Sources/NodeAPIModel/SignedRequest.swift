import LedgerCore
import LedgerCrypto

/// Signed API requests: reads that reveal consent grants or their access log
/// must come from the holder's key.
///
/// The signature is the chain suite's signature over
/// `SigningDomain.apiRequest.message(for: body)`, i.e. the DER value
/// `SEQUENCE { UTF8String "civicledger/api-request/v1", OCTET STRING body }`
/// (the same domain separation as every other signature on the chain), where
/// `body` is this byte layout, all integers big-endian:
///
/// ```
/// u16  length of method      method   ASCII, as on the request line ("GET")
/// u32  length of target      target   UTF-8: path and query exactly as sent
///                                     on the request line ("/v1/consents/ab…/uses?from=0&limit=10")
/// u64  timestampMillis                the X-Civic-Timestamp value
/// u8   length of nonce       nonce    the X-Civic-Nonce bytes (hex-decoded, 8 to 32)
/// ```
///
/// Lengths make the layout unambiguous (no field can bleed into the next);
/// this comment, `canonicalBody` and docs/openapi.yaml are the one definition.
public enum SignedRequest {
    public static let keyHeader = "X-Civic-Key"
    public static let timestampHeader = "X-Civic-Timestamp"
    public static let nonceHeader = "X-Civic-Nonce"
    public static let signatureHeader = "X-Civic-Signature"

    /// Nonce size in bytes (16 to 64 hex characters).
    public static let nonceBytes: ClosedRange<Int> = 8...32

    /// The bytes inside the signing domain; see the type's documentation.
    public static func canonicalBody(method: String, target: String, timestampMillis: UInt64, nonce: [UInt8]) -> [UInt8] {
        let methodBytes = Array(method.utf8)
        let targetBytes = Array(target.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(2 + methodBytes.count + 4 + targetBytes.count + 8 + 1 + nonce.count)
        out += bigEndian(UInt64(UInt16(clamping: methodBytes.count)), bytes: 2)
        out += methodBytes.prefix(Int(UInt16.max))
        out += bigEndian(UInt64(UInt32(clamping: targetBytes.count)), bytes: 4)
        out += targetBytes.prefix(Int(UInt32.max))
        out += bigEndian(timestampMillis, bytes: 8)
        out.append(UInt8(clamping: nonce.count))
        out += nonce.prefix(Int(UInt8.max))
        return out
    }

    /// The exact message the key signs.
    public static func signingMessage(method: String, target: String, timestampMillis: UInt64, nonce: [UInt8]) -> [UInt8] {
        SigningDomain.apiRequest.message(
            for: canonicalBody(method: method, target: target, timestampMillis: timestampMillis, nonce: nonce))
    }

    /// The four headers that authenticate one request. `nonce` defaults to 16
    /// fresh random bytes; pass one only to reproduce a request (tests).
    public static func sign(
        method: String, target: String, timestampMillis: UInt64, nonce: [UInt8]? = nil, key: PrivateKey,
        suite: any CryptoSuite
    ) throws(SignedRequestError) -> SignedRequestHeaders {
        guard key.suite == suite.id else { throw .wrongSuite(key: key.suite, chain: suite.id) }
        let nonce = nonce ?? freshNonce()
        guard nonceBytes.contains(nonce.count) else { throw .badNonceLength(nonce.count) }
        let message = signingMessage(method: method, target: target, timestampMillis: timestampMillis, nonce: nonce)
        let signature: [UInt8]
        do { signature = try suite.sign(message, with: key) } catch { throw .crypto(error) }
        return SignedRequestHeaders(
            key: key.publicKey.compressed.hex, timestamp: String(timestampMillis), nonce: Hex.encode(nonce),
            signature: Hex.encode(signature))
    }

    static func freshNonce() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    private static func bigEndian(_ value: UInt64, bytes: Int) -> [UInt8] {
        (0..<bytes).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}

/// The headers `SignedRequest.sign` produces, by name.
public struct SignedRequestHeaders: Sendable, Hashable {
    public let key: String
    public let timestamp: String
    public let nonce: String
    public let signature: String

    /// `(name, value)` pairs, ready to add to any HTTP client's request.
    public var fields: [(name: String, value: String)] {
        [
            (SignedRequest.keyHeader, key), (SignedRequest.timestampHeader, timestamp),
            (SignedRequest.nonceHeader, nonce), (SignedRequest.signatureHeader, signature),
        ]
    }
}

public enum SignedRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case wrongSuite(key: SuiteID, chain: SuiteID)
    case badNonceLength(Int)
    case crypto(CryptoError)

    public var description: String {
        switch self {
        case let .wrongSuite(key, chain): return "the key is a \(key) key but the chain uses the \(chain) suite"
        case let .badNonceLength(count): return "a nonce is \(SignedRequest.nonceBytes) bytes, not \(count)"
        case let .crypto(error): return "\(error)"
        }
    }
}
