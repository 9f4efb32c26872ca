import ArgumentParser
import LedgerCrypto

extension SuiteID: ExpressibleByArgument {
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}

extension SuiteID {
    var longName: String {
        switch self {
        case .standard: return "standard (secp256k1 ECDSA, SHA-256)"
        case .guomi: return "guomi (国密 SM2, SM3)"
        }
    }
}
