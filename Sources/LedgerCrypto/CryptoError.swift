/// Everything that can go wrong in LedgerCrypto, each with a sentence a user can act on.
public enum CryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidPrivateKey(suite: SuiteID)
    case invalidPublicKey(suite: SuiteID, reason: String)
    case wrongSuite(expected: SuiteID, found: SuiteID)
    case keyFile(path: String, problem: KeyFileProblem)
    case randomnessUnavailable
    /// The C library refused an operation that valid input should never fail.
    case backend(String)

    public var description: String {
        switch self {
        case let .invalidPrivateKey(suite):
            return "invalid \(suite) private key: the scalar must be 32 bytes in the curve's valid range"
        case let .invalidPublicKey(suite, reason):
            return "invalid \(suite) public key: \(reason)"
        case let .wrongSuite(expected, found):
            return "key is for the \(found) suite, but the \(expected) suite was asked for"
        case let .keyFile(path, .permissionsTooOpen(mode)):
            return "key file \(path): \(KeyFileProblem.permissionsTooOpen(mode: mode)); run: chmod 600 \(path)"
        case let .keyFile(path, problem):
            return "key file \(path): \(problem)"
        case .randomnessUnavailable:
            return "the system random number generator failed"
        case let .backend(message):
            return "crypto library error: \(message)"
        }
    }
}
