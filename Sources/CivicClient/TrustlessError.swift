import Consensus

/// Why a proven answer was refused. Each reads as one line that says what a
/// node (or something between it and the client) got wrong.
public enum TrustlessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The genesis file cannot anchor trust (keys of another suite, …).
    case anchor(String)
    /// A field of the answer does not decode as what it must be.
    case malformed(field: String, reason: String)
    case wrongChain(expected: String, found: String)
    case certificate(CertificateRefusal)
    /// The certified block is older than the freshness bound allows.
    case stale(ageMillis: UInt64, maxAgeMillis: UInt64, height: UInt64)
    /// The certified block is below the height the client asked for.
    case tooLow(height: UInt64, needed: UInt64)
    /// The answer lacks a key the question needs, or carries one it does not.
    case missingKey(String)
    case unexpectedKey(String)
    /// A value (or absence) that its proof does not show under the certified root.
    case proofFails(key: String, claimed: String)
    /// The proven values do not support an answer (a record missing that must exist, …).
    case incomplete(String)

    public var description: String {
        switch self {
        case let .anchor(why): return "the genesis file cannot be used to check answers: \(why)"
        case let .malformed(field, reason): return "the answer's \(field) is malformed: \(reason)"
        case let .wrongChain(expected, found): return "the answer is for chain \(found), not \(expected)"
        case let .certificate(refusal): return "the block certificate is not valid: \(refusal)"
        case let .stale(age, bound, height):
            return "the newest certified block the node offers (height \(height)) is \(age / 1000) s old; "
                + "the freshness bound is \(bound / 1000) s (--max-age), so this may be a replayed answer"
        case let .tooLow(height, needed): return "the answer is proven at height \(height), below the \(needed) asked for"
        case let .missingKey(key): return "the answer carries no proof for state key \(key)"
        case let .unexpectedKey(key): return "the answer carries a proof for state key \(key), which the question did not ask about"
        case let .proofFails(key, claimed): return "the proof for state key \(key) does not show \(claimed) under the certified state root"
        case let .incomplete(why): return "the proven state does not answer the question: \(why)"
        }
    }
}
