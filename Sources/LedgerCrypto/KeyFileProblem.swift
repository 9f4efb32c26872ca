/// Why a key file could not be written or used.
public enum KeyFileProblem: Error, Equatable, Sendable, CustomStringConvertible {
    case alreadyExists
    /// A system call failed; `errno` and its text.
    case system(call: String, errno: Int32, text: String)
    case notRegularFile
    case wrongOwner(owner: UInt32, expected: UInt32)
    /// Any group or other permission bit is set (mode shown in octal).
    case permissionsTooOpen(mode: UInt32)
    case tooLarge(bytes: Int, limit: Int)
    case notText
    case notPEM
    case wrongPEMType(found: String)
    case malformed(String)
    case unsupportedCurve(String)
    case scalarOutOfRange(SuiteID)
    case publicKeyMismatch

    public var description: String {
        switch self {
        case .alreadyExists:
            return "already exists"
        case let .system(call, errno, text):
            return "\(call) failed: \(text) (errno \(errno))"
        case .notRegularFile:
            return "not a regular file"
        case let .wrongOwner(owner, expected):
            return "owned by uid \(owner), not by the current user (uid \(expected))"
        case let .permissionsTooOpen(mode):
            return "permissions 0\(String(mode, radix: 8)) are too open (group or others have access)"
        case let .tooLarge(bytes, limit):
            return "\(bytes) bytes is too large for a key file (limit \(limit))"
        case .notText:
            return "not readable as UTF-8 text"
        case .notPEM:
            return "not a PEM document"
        case let .wrongPEMType(found):
            return "holds a \(found), expected a PRIVATE KEY (PKCS#8)"
        case let .malformed(detail):
            return "malformed PKCS#8 key: \(detail)"
        case let .unsupportedCurve(oid):
            return "curve \(oid) is neither secp256k1 (standard) nor SM2 (guomi)"
        case let .scalarOutOfRange(suite):
            return "private scalar out of range for \(suite)"
        case .publicKeyMismatch:
            return "stored public key does not match the private key"
        }
    }
}
