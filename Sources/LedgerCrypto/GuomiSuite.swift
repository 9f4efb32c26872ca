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

    public func digest(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        sm3.digest(input, into: output)
    }

    public func makeHasher() -> IncrementalHasher { IncrementalHasher(algorithm: sm3) }

    public func generatePrivateKey() throws(CryptoError) -> PrivateKey {
        try generateByRejectionSampling()
    }

    public func privateKey(rawScalar: [UInt8]) throws(CryptoError) -> PrivateKey {
        guard SM2Curve.isValidScalar(rawScalar) else { throw .invalidPrivateKey(suite: id) }
        let point = OpenSSLError.scoped { () -> (compressed: [UInt8], uncompressed: [UInt8])? in
            curve.publicPoint(forScalar: rawScalar)
        }
        guard let point else { throw .backend("SM2 public key derivation failed") }
        return PrivateKey(suite: id, scalar: rawScalar, publicKey: makePublicKey(point))
    }

    public func publicKey(sec1: [UInt8]) throws(CryptoError) -> PublicKey {
        try checkSEC1Form(sec1)
        guard let point = OpenSSLError.scoped({ curve.decodePoint(sec1) }) else {
            throw .invalidPublicKey(suite: id, reason: "not a point on the SM2 curve")
        }
        return makePublicKey(point)
    }

    public func sign(_ message: [UInt8], with key: PrivateKey) throws(CryptoError) -> [UInt8] {
        try checkSuite(key.suite)
        return try OpenSSLError.scoped { () throws(CryptoError) -> [UInt8] in
            let pkey = try EVPKey.sm2(scalar: key.scalar, publicPoint: key.publicKey.uncompressed)
            guard let signature = pkey.signSM2(message, digest: sm3.md, id: Self.distinguishingID) else {
                throw .backend("SM2 signing failed: \(OpenSSLError.drain())")
            }
            return signature
        }
    }

    public func verify(signature: [UInt8], for message: [UInt8], publicKey: PublicKey) -> Bool {
        guard publicKey.suite == id, SM2Signature.isStrictDER(signature) else { return false }
        return OpenSSLError.scoped { () -> Bool in
            guard let pkey = try? EVPKey.sm2(scalar: nil, publicPoint: publicKey.uncompressed) else { return false }
            return pkey.verifySM2(signature, message: message, digest: sm3.md, id: Self.distinguishingID)
        }
    }

    private func makePublicKey(_ point: (compressed: [UInt8], uncompressed: [UInt8])) -> PublicKey {
        PublicKey(suite: id, compressed: PublicKeyBytes(point.compressed)!, uncompressed: point.uncompressed)
    }
}
