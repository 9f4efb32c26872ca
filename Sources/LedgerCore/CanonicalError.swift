import SwiftASN1

/// Why a byte string is not the canonical encoding of a value.
///
/// Decoders are total: every malformed input ends in one of these, never a trap.
public enum CanonicalError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The whole encoding is over the type's cap; checked before any parsing.
    case tooLarge(type: String, size: Int, limit: Int)
    /// Not strict DER: truncated, trailing bytes, non-minimal length or integer, wrong tag.
    case malformed(type: String, reason: String)
    /// The structure's version number is one this build does not know.
    case unsupportedVersion(type: String, found: Int, supported: [Int])
    /// A field decoded but breaks its rule (size, range, alphabet).
    case invalidField(type: String, field: String, reason: String)

    public var description: String {
        switch self {
        case let .tooLarge(type, size, limit):
            return "\(type): encoding of \(size) bytes exceeds the limit of \(limit) bytes"
        case let .malformed(type, reason):
            return "\(type): not canonical DER: \(reason)"
        case let .unsupportedVersion(type, found, supported):
            let list = supported.map(String.init).joined(separator: ", ")
            return "\(type): unsupported version \(found) (supported: \(list))"
        case let .invalidField(type, field, reason):
            return "\(type).\(field): \(reason)"
        }
    }
}

/// Thrown from inside DER initialisers, where the enclosing type name is not yet
/// known; `Canonical.decode` attaches it. Public so canonical types of other
/// modules (ledger payloads, consensus messages) report field errors the same way.
public struct FieldViolation: Error {
    public var field: String
    public var reason: String

    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
}

public struct VersionViolation: Error {
    public var found: Int
    public var supported: [Int]

    public init(found: Int, supported: [Int]) {
        self.found = found
        self.supported = supported
    }
}
