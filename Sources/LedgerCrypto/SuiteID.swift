/// The two crypto suites a chain can be created with (chosen once, in genesis).
public enum SuiteID: String, Sendable, CaseIterable, CustomStringConvertible {
    /// SHA-256 and secp256k1 ECDSA (libsecp256k1): RFC 6979 nonces, low-S, 64-byte compact signatures.
    case standard
    /// 国密 SM3 and SM2 (GB/T 32905, GB/T 32918) through OpenSSL 3, DER signatures.
    case guomi

    public var description: String { rawValue }

    /// The object identifier of the suite's curve, as written in key files.
    var curveOID: [UInt] {
        switch self {
        case .standard: return [1, 3, 132, 0, 10]  // secp256k1 (SEC 2)
        case .guomi: return [1, 2, 156, 10197, 1, 301]  // sm2p256v1 (GM/T 0006)
        }
    }
}
