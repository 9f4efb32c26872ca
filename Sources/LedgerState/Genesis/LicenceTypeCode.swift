/// The stable catalogue code of a licence type, e.g. `RESIDENT_ID_CARD`. Codes
/// are written into every licence on chain, so a code is never renamed or reused.
public struct LicenceTypeCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: String

    /// `^[A-Z][A-Z0-9_]{1,31}$`.
    public init(_ value: String) throws(GenesisError) {
        guard GenesisText.isIdentifier(
            value, first: GenesisText.isUpper,
            rest: { GenesisText.isUpper($0) || GenesisText.isDigit($0) || $0 == UInt8(ascii: "_") })
        else { throw .invalidLicenceTypeCode(value) }
        self.value = value
    }

    public var description: String { value }

    public static func < (lhs: Self, rhs: Self) -> Bool { GenesisText.precedes(lhs.value, rhs.value) }
}
