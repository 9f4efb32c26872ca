import LedgerCore

/// Hashing, keys, addresses and signatures for one chain. Every hash, signature,
/// address and Merkle tree goes through this, so the two suites share one code path.
public protocol CryptoSuite: DigestFunction {
    var id: SuiteID { get }

    /// A streaming hasher, for documents too large to hold in memory.
    func makeHasher() -> IncrementalHasher

    /// A fresh key from the operating system's CSPRNG.
    func generatePrivateKey() throws(CryptoError) -> PrivateKey

    /// Imports a big-endian 32-byte scalar; refuses zero and values out of range.
    func privateKey(rawScalar: [UInt8]) throws(CryptoError) -> PrivateKey

    /// Parses SEC1 compressed (33 bytes) or uncompressed (65 bytes) and checks the
    /// point is on the curve. Hybrid (06/07) and infinity encodings are refused.
    func publicKey(sec1: [UInt8]) throws(CryptoError) -> PublicKey

    /// Signs `message` (hashed inside, as the suite prescribes).
    func sign(_ message: [UInt8], with key: PrivateKey) throws(CryptoError) -> [UInt8]

    /// Total: false for any signature that is not the suite's strict encoding of a
    /// valid signature of `message` by `publicKey`; never traps.
    func verify(signature: [UInt8], for message: [UInt8], publicKey: PublicKey) -> Bool
}

extension CryptoSuite {
    public func address(of publicKey: PublicKey) -> Address {
        Address(publicKey: publicKey.compressed, hash: self)
    }

    /// Parses a public key given as hex (33 or 65 bytes).
    public func publicKey(hex: String) throws(CryptoError) -> PublicKey {
        guard let bytes = Hex.decode(hex) else {
            throw .invalidPublicKey(suite: id, reason: "not hexadecimal")
        }
        return try publicKey(sec1: bytes)
    }

    func checkSuite(_ found: SuiteID) throws(CryptoError) {
        guard found == id else { throw .wrongSuite(expected: id, found: found) }
    }

    /// Only the compressed (02/03) and uncompressed (04) SEC1 forms: hybrid
    /// (06/07) would give one point a third encoding, infinity is no key.
    func checkSEC1Form(_ sec1: [UInt8]) throws(CryptoError) {
        switch (sec1.count, sec1.first) {
        case (33, 0x02), (33, 0x03), (65, 0x04):
            return
        case (33, _), (65, _):
            throw .invalidPublicKey(suite: id, reason: "unknown SEC1 prefix (expected 02/03 compressed or 04 uncompressed)")
        default:
            throw .invalidPublicKey(suite: id, reason: "\(sec1.count) bytes; expected 33 (compressed) or 65 (uncompressed)")
        }
    }

    /// Draws scalars until one is in range. A random 32-byte string is out of
    /// range with probability below 2^-32 for both curves; the bound only stops
    /// a broken RNG from spinning forever.
    func generateByRejectionSampling() throws(CryptoError) -> PrivateKey {
        for _ in 0..<64 {
            if let key = try? privateKey(rawScalar: try Randomness.bytes(32)) { return key }
        }
        throw .randomnessUnavailable
    }
}

public enum CryptoSuites {
    public static let standard: any CryptoSuite = StandardSuite.shared
    public static let guomi: any CryptoSuite = GuomiSuite.shared

    public static func suite(_ id: SuiteID) -> any CryptoSuite {
        switch id {
        case .standard: return standard
        case .guomi: return guomi
        }
    }
}
