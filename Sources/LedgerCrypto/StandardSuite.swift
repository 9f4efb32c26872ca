import CSecp256k1
import LedgerCore

/// SHA-256 and secp256k1 ECDSA through libsecp256k1.
///
/// Signatures are over SHA-256(message) with RFC 6979 nonces (libsecp256k1's
/// default), serialised as 64-byte compact `r ‖ s`. libsecp256k1 signs low-S and
/// its verifier refuses high-S, so a signature has exactly one valid form.
public struct StandardSuite: CryptoSuite {
    public static let shared = StandardSuite()

    public var id: SuiteID { .standard }
    public static let signatureSize = 64

    private let sha256 = EVPDigestAlgorithm(name: "SHA256")
    private let context = Secp256k1Context()

    public func digest(_ bytes: [UInt8]) -> Digest { sha256.digest(bytes) }

    public func digest(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        sha256.digest(input, into: output)
    }

    public func makeHasher() -> IncrementalHasher { IncrementalHasher(algorithm: sha256) }

    public func generatePrivateKey() throws(CryptoError) -> PrivateKey {
        try generateByRejectionSampling()
    }

    public func privateKey(rawScalar: [UInt8]) throws(CryptoError) -> PrivateKey {
        guard rawScalar.count == 32 else { throw .invalidPrivateKey(suite: id) }
        let ctx = context.pointer
        var pubkey = secp256k1_pubkey()
        let ok = rawScalar.withUnsafeBufferPointer { scalar -> Bool in
            secp256k1_ec_seckey_verify(ctx, scalar.baseAddress!) == 1
                && secp256k1_ec_pubkey_create(ctx, &pubkey, scalar.baseAddress!) == 1
        }
        guard ok else { throw .invalidPrivateKey(suite: id) }
        return PrivateKey(suite: id, scalar: rawScalar, publicKey: makePublicKey(pubkey))
    }

    public func publicKey(sec1: [UInt8]) throws(CryptoError) -> PublicKey {
        try checkSEC1Form(sec1)
        var pubkey = secp256k1_pubkey()
        let ok = sec1.withUnsafeBufferPointer {
            secp256k1_ec_pubkey_parse(context.pointer, &pubkey, $0.baseAddress!, $0.count)
        }
        guard ok == 1 else { throw .invalidPublicKey(suite: id, reason: "not a point on secp256k1") }
        return makePublicKey(pubkey)
    }

    public func sign(_ message: [UInt8], with key: PrivateKey) throws(CryptoError) -> [UInt8] {
        try checkSuite(key.suite)
        let hash = digest(message).bytes
        var signature = secp256k1_ecdsa_signature()
        let signed = hash.withUnsafeBufferPointer { hash in
            key.scalar.withUnsafeBufferPointer { scalar in
                // nil nonce function = secp256k1_nonce_function_rfc6979.
                secp256k1_ecdsa_sign(context.pointer, &signature, hash.baseAddress!, scalar.baseAddress!, nil, nil)
            }
        }
        guard signed == 1 else { throw .backend("secp256k1_ecdsa_sign failed") }
        var out = [UInt8](repeating: 0, count: Self.signatureSize)
        _ = secp256k1_ecdsa_signature_serialize_compact(context.pointer, &out, &signature)
        return out
    }

    public func verify(signature: [UInt8], for message: [UInt8], publicKey: PublicKey) -> Bool {
        guard publicKey.suite == id, signature.count == Self.signatureSize else { return false }
        var parsedSignature = secp256k1_ecdsa_signature()
        // Fails when r or s is not below the group order.
        guard secp256k1_ecdsa_signature_parse_compact(context.pointer, &parsedSignature, signature) == 1 else {
            return false
        }
        var parsedKey = secp256k1_pubkey()
        // The uncompressed form needs only an on-curve check; the compressed one
        // costs a square root (about 6.7 µs, an eighth of a verify).
        let keyBytes = publicKey.uncompressed
        guard secp256k1_ec_pubkey_parse(context.pointer, &parsedKey, keyBytes, keyBytes.count) == 1 else {
            return false
        }
        let hash = digest(message).bytes
        // Returns 0 for zero r or s and for high-S (malleable) signatures.
        return secp256k1_ecdsa_verify(context.pointer, &parsedSignature, hash, &parsedKey) == 1
    }

    private func makePublicKey(_ pubkey: secp256k1_pubkey) -> PublicKey {
        var pubkey = pubkey
        var compressed = [UInt8](repeating: 0, count: 33)
        var compressedLength = 33
        var uncompressed = [UInt8](repeating: 0, count: 65)
        var uncompressedLength = 65
        _ = secp256k1_ec_pubkey_serialize(
            context.pointer, &compressed, &compressedLength, &pubkey, UInt32(SECP256K1_EC_COMPRESSED))
        _ = secp256k1_ec_pubkey_serialize(
            context.pointer, &uncompressed, &uncompressedLength, &pubkey, UInt32(SECP256K1_EC_UNCOMPRESSED))
        return PublicKey(suite: id, compressed: PublicKeyBytes(compressed)!, uncompressed: uncompressed)
    }
}
