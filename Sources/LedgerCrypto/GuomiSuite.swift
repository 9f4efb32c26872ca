import COpenSSL
import LedgerCore

/// 国密: SM3 hashing (GB/T 32905) and SM2 signatures (GB/T 32918) through OpenSSL 3 EVP.
///
/// Signatures use the default distinguishing ID `1234567812345678` (GM/T 0009), so
/// e = SM3(Z_A ‖ M) as the standard prescribes; they are DER and randomised (SM2
/// defines no deterministic nonce), and only strict DER is accepted.
public struct GuomiSuite: CryptoSuite {
    public static let shared = GuomiSuite()
    public static let distinguishingID: [UInt8] = Array("1234567812345678".utf8)

    public var id: SuiteID { .guomi }

    private let sm3 = EVPDigestAlgorithm(name: "SM3")
    private let curve = SM2Curve()

    public func digest(_ bytes: [UInt8]) -> Digest { sm3.digest(bytes) }

    public func makeHasher() -> IncrementalHasher { IncrementalHasher(algorithm: sm3) }

    public func generatePrivateKey() throws(CryptoError) -> PrivateKey {
        for _ in 0..<64 {
            if let key = try? privateKey(rawScalar: try Randomness.bytes(32)) { return key }
        }
        throw .randomnessUnavailable
    }

    public func privateKey(rawScalar: [UInt8]) throws(CryptoError) -> PrivateKey {
        guard SM2Curve.isValidScalar(rawScalar) else { throw .invalidPrivateKey(suite: id) }
        guard let point = curve.publicPoint(forScalar: rawScalar) else {
            throw .backend("SM2 public key derivation failed: \(OpenSSLError.drain())")
        }
        return PrivateKey(suite: id, scalar: rawScalar, publicKey: makePublicKey(point))
    }

    public func publicKey(sec1: [UInt8]) throws(CryptoError) -> PublicKey {
        switch (sec1.count, sec1.first) {
        case (33, 0x02), (33, 0x03), (65, 0x04): break
        case (33, _), (65, _):
            throw .invalidPublicKey(suite: id, reason: "unknown SEC1 prefix (expected 02/03 compressed or 04 uncompressed)")
        default:
            throw .invalidPublicKey(suite: id, reason: "\(sec1.count) bytes; expected 33 (compressed) or 65 (uncompressed)")
        }
        guard let point = curve.decodePoint(sec1) else {
            throw .invalidPublicKey(suite: id, reason: "not a point on the SM2 curve")
        }
        return makePublicKey(point)
    }

    public func sign(_ message: [UInt8], with key: PrivateKey) throws(CryptoError) -> [UInt8] {
        try checkSuite(key.suite)
        let pkey = try EVPKey.sm2(scalar: key.scalar, publicPoint: key.publicKey.uncompressed)
        guard let signature = pkey.signSM2(message, digest: sm3.md, id: Self.distinguishingID) else {
            throw .backend("SM2 signing failed: \(OpenSSLError.drain())")
        }
        return signature
    }

    public func verify(signature: [UInt8], for message: [UInt8], publicKey: PublicKey) -> Bool {
        guard publicKey.suite == id, SM2Signature.isStrictDER(signature) else { return false }
        guard let pkey = try? EVPKey.sm2(scalar: nil, publicPoint: publicKey.uncompressed) else {
            ERR_clear_error()
            return false
        }
        let valid = pkey.verifySM2(signature, message: message, digest: sm3.md, id: Self.distinguishingID)
        ERR_clear_error()
        return valid
    }

    private func makePublicKey(_ point: (compressed: [UInt8], uncompressed: [UInt8])) -> PublicKey {
        PublicKey(suite: id, compressed: PublicKeyBytes(point.compressed)!, uncompressed: point.uncompressed)
    }
}
