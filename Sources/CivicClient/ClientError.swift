/// Why a request to a node gave no usable answer. Each case reads as one line.
public enum ClientError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No connection, or no answer within the timeout.
    case unreachable(node: String, reason: String)
    /// The node answered a read with an error body (`{code, message}`).
    case refused(status: Int, code: String, message: String)
    /// The node would not admit a transaction (bad signature, expired, wrong chain, …).
    case rejected(code: String, message: String)
    /// The node's answer was not what the API describes.
    case badResponse(String)
    case badURL(String)
    /// Something the caller gave could not be sent (a key of the wrong suite, …).
    case badInput(String)
    /// The transaction was admitted but no receipt came within the wait.
    case notCommitted(txid: String, waitedMillis: UInt64)

    public var description: String {
        switch self {
        case let .unreachable(node, reason): return "node \(node) is unreachable: \(reason)"
        case let .refused(status, code, message): return "\(code): \(message) (HTTP \(status))"
        case let .rejected(code, message): return "\(code): \(message)"
        case let .badResponse(text): return "unexpected answer from the node: \(text)"
        case let .badURL(text): return "not a usable node URL: \(text)"
        case let .badInput(text): return text
        case let .notCommitted(txid, waited):
            return "transaction \(txid) was accepted but not committed within \(waited) ms; check later with `civic chain tx \(txid)`"
        }
    }

    /// The stable code of a refusal, or nil for transport problems.
    public var code: String? {
        switch self {
        case let .refused(_, code, _), let .rejected(code, _): return code
        default: return nil
        }
    }
}
