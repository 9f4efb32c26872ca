import LedgerCore

/// A licence's identity: the id of the transaction that issued it. Derived by
/// the chain, so it carries no personal data (a 居民身份证 number never becomes
/// an id) and the issuer knows it before the transaction commits.
public struct LicenceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let digest: Digest
    public init(_ digest: Digest) { self.digest = digest }
    public init(issuedBy tx: TxID) { self.digest = tx.digest }
    public var hex: String { digest.hex }
    public var description: String { digest.hex }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.digest < rhs.digest }
}

/// A consent grant's identity: the suite hash of the holder-signed grant body.
public struct ConsentID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let digest: Digest
    public init(_ digest: Digest) { self.digest = digest }
    public var hex: String { digest.hex }
    public var description: String { digest.hex }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.digest < rhs.digest }
}

/// The text identifiers the ledger accepts, each with one alphabet and length
/// rule, checked wherever such an id enters (transaction payloads, queries).
public enum IdentifierRule: Sendable {
    /// Offices (counters, 窗口) and auditors: `[a-z0-9][a-z0-9-]{1,63}`.
    case slug
    /// 统一社会信用代码 (unified social credit code): 18 of `[0-9A-Z]`.
    case creditCode
    /// 发票代码 (10 to 12 digits) or 发票号码 (8 to 20 digits, 全电发票 use 20).
    case digits(ClosedRange<Int>)

    public func accepts(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        switch self {
        case .slug:
            guard (2...64).contains(bytes.count), Self.isLowerAlnum(bytes[0]) else { return false }
            return bytes.allSatisfy { Self.isLowerAlnum($0) || $0 == UInt8(ascii: "-") }
        case .creditCode:
            return bytes.count == 18 && bytes.allSatisfy { Self.isDigit($0) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
        case let .digits(range):
            return range.contains(bytes.count) && bytes.allSatisfy(Self.isDigit)
        }
    }

    public var explanation: String {
        switch self {
        case .slug: return "2 to 64 of [a-z0-9-], starting with a letter or digit"
        case .creditCode: return "18 characters of [0-9A-Z] (统一社会信用代码)"
        case let .digits(range): return "\(range.lowerBound) to \(range.upperBound) digits"
        }
    }

    private static func isDigit(_ c: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) }
    private static func isLowerAlnum(_ c: UInt8) -> Bool { isDigit(c) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) }
}

/// A text identifier checked against one `IdentifierRule` on the way in.
public protocol RuledIdentifier: Hashable, Comparable, Sendable, CustomStringConvertible {
    static var rule: IdentifierRule { get }
    var value: String { get }
    /// For values already checked against `rule`, as `Digest(unchecked:)`;
    /// everything from outside goes through `init?(_:)`.
    init(unchecked value: String)
}

extension RuledIdentifier {
    /// Nil unless `value` follows `rule`.
    public init?(_ value: String) {
        guard Self.rule.accepts(value) else { return nil }
        self.init(unchecked: value)
    }
    public var description: String { value }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.value < rhs.value }
}

/// A registered office (service counter, 窗口) that asks holders for consent.
public struct OfficeID: RuledIdentifier {
    public static let rule = IdentifierRule.slug
    public let value: String
    public init(unchecked value: String) { self.value = value }
}

/// A registered taxpayer, by its unified social credit code (统一社会信用代码).
public struct TaxpayerID: RuledIdentifier {
    public static let rule = IdentifierRule.creditCode
    public let value: String
    public init(unchecked value: String) { self.value = value }
}

/// A registered tax auditor.
public struct AuditorID: RuledIdentifier {
    public static let rule = IdentifierRule.slug
    public let value: String
    public init(unchecked value: String) { self.value = value }
}

/// An e-invoice: 发票代码 + 发票号码, unique across the chain.
public struct InvoiceID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let codeRule = IdentifierRule.digits(10...12)
    public static let numberRule = IdentifierRule.digits(8...20)
    public let code: String
    public let number: String
    public init?(code: String, number: String) {
        guard Self.codeRule.accepts(code), Self.numberRule.accepts(number) else { return nil }
        self.code = code
        self.number = number
    }
    /// `code-number`, the form the CLI and API accept.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        self.init(code: String(parts[0]), number: String(parts[1]))
    }
    public var description: String { "\(code)-\(number)" }
    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.code, lhs.number) < (rhs.code, rhs.number) }
}
