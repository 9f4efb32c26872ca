import Foundation
import LedgerCore
import LedgerState

/// What a counter (窗口) asks of a holder, shown as a QR code for the holder to
/// scan (扫码授权) and as the same text to copy:
///
/// ```
/// civicledger:consent?v=1&chain=civic-devnet&office=futian-counter-1&types=RESIDENT_ID_CARD,BUSINESS_LICENCE
///     &purpose=%E5%BC%80%E6%88%B7&until=1764900000000&uses=1&nonce=8342197
/// ```
///
/// It is not signed: the holder reads it, decides, and signs a `ConsentGrant`
/// that names the same office, purpose, expiry and uses. Parsing is bounded
/// and total; every field is checked as the ledger would check the grant.
public struct ConsentRequest: Sendable, Hashable {
    public static let scheme = "civicledger:consent"
    public static let version = 1
    /// Fits a QR code at medium error correction with room to spare.
    public static let maxPayloadBytes = 1_024

    public let chainID: ChainID
    public let office: OfficeID
    /// The licence types the counter needs, in the order asked.
    public let licenceTypes: [LicenceTypeCode]
    public let purpose: String
    /// Unix millis; the grant expires then (compared with block time).
    public let notAfterMillis: UInt64
    public let maxUses: UInt64
    /// Copied into the grant, so one request yields one grant id.
    public let nonce: UInt64

    public init(
        chainID: ChainID, office: OfficeID, licenceTypes: [LicenceTypeCode], purpose: String, notAfterMillis: UInt64,
        maxUses: UInt64, nonce: UInt64
    ) throws(ConsentRequestError) {
        guard (1...ConsentGrant.maxLicences).contains(licenceTypes.count), Set(licenceTypes).count == licenceTypes.count else {
            throw .invalid("types", "name 1 to \(ConsentGrant.maxLicences) distinct licence types")
        }
        guard (1...ConsentGrant.maxPurposeBytes).contains(purpose.utf8.count) else {
            throw .invalid("purpose", "must be 1 to \(ConsentGrant.maxPurposeBytes) bytes of UTF-8")
        }
        // The holder reads the purpose on a terminal before signing: no escape
        // sequences, line breaks or bidi overrides that could redraw what they see.
        guard purpose.unicodeScalars.allSatisfy(Self.isPrintable) else {
            throw .invalid("purpose", "must be printable text (no control, format or line-separator characters)")
        }
        guard (1...ConsentGrant.maxUsesLimit).contains(maxUses) else {
            throw .invalid("uses", "must be 1 to \(ConsentGrant.maxUsesLimit)")
        }
        guard notAfterMillis > 0 else { throw .invalid("until", "must be a time after 1970") }
        self.chainID = chainID
        self.office = office
        self.licenceTypes = licenceTypes
        self.purpose = purpose
        self.notAfterMillis = notAfterMillis
        self.maxUses = maxUses
        self.nonce = nonce
    }

    /// The text the QR code carries.
    public var payload: String {
        let fields: [(String, String)] = [
            ("v", String(Self.version)), ("chain", chainID.value), ("office", office.value),
            ("types", licenceTypes.map(\.value).joined(separator: ",")), ("purpose", purpose),
            ("until", String(notAfterMillis)), ("uses", String(maxUses)), ("nonce", String(nonce)),
        ]
        return Self.scheme + "?" + fields.map { "\($0)=\(Self.escape($1))" }.joined(separator: "&")
    }

    public init(payload text: String) throws(ConsentRequestError) {
        let text = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count <= Self.maxPayloadBytes else { throw .tooLong(text.utf8.count) }
        guard text.hasPrefix(Self.scheme + "?") else { throw .notARequest }
        let query = text.dropFirst(Self.scheme.count + 1)
        var fields: [String: String] = [:]
        // At most maxPayloadBytes / 2 pairs: each has at least one byte and a separator.
        for pair in query.split(separator: "&", omittingEmptySubsequences: false) {
            guard let equals = pair.firstIndex(of: "=") else { throw .invalid(String(pair.prefix(20)), "is not name=value") }
            let name = String(pair[..<equals])
            guard Self.fieldNames.contains(name) else { throw .invalid(name, "is not a field of a consent request") }
            guard fields[name] == nil else { throw .invalid(name, "appears twice") }
            guard let value = String(pair[pair.index(after: equals)...]).removingPercentEncoding else {
                throw .invalid(name, "has a broken %-escape")
            }
            fields[name] = value
        }
        func field(_ name: String) throws(ConsentRequestError) -> String {
            guard let value = fields[name] else { throw .missing(name) }
            return value
        }
        func number(_ name: String) throws(ConsentRequestError) -> UInt64 {
            let text = try field(name)
            guard !text.isEmpty, text.count <= 20, text.allSatisfy(\.isASCII), let value = UInt64(text) else {
                throw .invalid(name, "must be a decimal number")
            }
            return value
        }
        guard try number("v") == UInt64(Self.version) else { throw .unsupportedVersion(try field("v")) }
        guard let chain = ChainID(try field("chain")) else { throw .invalid("chain", "is not a chain id") }
        guard let office = OfficeID(try field("office")) else { throw .invalid("office", OfficeID.rule.explanation) }
        var types: [LicenceTypeCode] = []
        for code in try field("types").split(separator: ",", omittingEmptySubsequences: false).prefix(ConsentGrant.maxLicences + 1) {
            do { types.append(try LicenceTypeCode(String(code))) } catch {
                throw .invalid("types", "\"\(code.prefix(40))\" is not a licence type code")
            }
        }
        try self.init(
            chainID: chain, office: office, licenceTypes: types, purpose: try field("purpose"),
            notAfterMillis: try number("until"), maxUses: try number("uses"), nonce: try number("nonce"))
    }

    static func isPrintable(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .privateUse, .unassigned: return false
        default: return true
        }
    }

    static let fieldNames: Set<String> = ["v", "chain", "office", "types", "purpose", "until", "uses", "nonce"]

    /// The client's unreserved set plus the comma that separates licence types.
    static let unreserved = NodeClient.unreserved.union(CharacterSet(charactersIn: ","))

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    /// The grant a holder signs for this request, over the licences they chose.
    public func grant(holder: PublicKeyBytes, licences: [LicenceID]) throws(ConsentRequestError) -> ConsentGrant {
        do {
            return try ConsentGrant(
                chainID: chainID, holder: holder, licences: licences, office: office, purpose: purpose,
                notAfter: notAfterMillis, maxUses: maxUses, nonce: nonce)
        } catch {
            throw .invalid("licences", "\(error)")
        }
    }
}

public enum ConsentRequestError: Error, Sendable, Hashable, CustomStringConvertible {
    case notARequest
    case tooLong(Int)
    case unsupportedVersion(String)
    case missing(String)
    case invalid(String, String)

    public var description: String {
        switch self {
        case .notARequest: return "not a consent request: it must start with \(ConsentRequest.scheme)?"
        case let .tooLong(bytes): return "a consent request is at most \(ConsentRequest.maxPayloadBytes) bytes, this one is \(bytes)"
        case let .unsupportedVersion(version): return "consent request version \(version) is not supported (this civic reads version \(ConsentRequest.version))"
        case let .missing(field): return "the consent request has no \(field)"
        case let .invalid(field, reason): return "consent request field \(field) \(reason)"
        }
    }
}
