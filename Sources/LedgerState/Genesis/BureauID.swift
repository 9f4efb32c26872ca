/// A bureau's short stable id, e.g. `gsdmb`, `psb`, `samr`, `tax`. Names change
/// with reorganisations; the id is what licences and registrations refer to.
public struct BureauID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: String

    /// `^[a-z][a-z0-9-]{1,31}$`.
    public init(_ value: String) throws(GenesisError) {
        guard GenesisText.isIdentifier(
            value, first: GenesisText.isLower,
            rest: { GenesisText.isLower($0) || GenesisText.isDigit($0) || $0 == UInt8(ascii: "-") })
        else { throw .invalidBureauID(value) }
        self.value = value
    }

    public var description: String { value }

    public static func < (lhs: Self, rhs: Self) -> Bool { GenesisText.precedes(lhs.value, rhs.value) }
}
