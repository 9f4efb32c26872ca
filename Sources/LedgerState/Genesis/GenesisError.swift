import LedgerCrypto

/// Where in a genesis file a problem was found. Lines and columns count from 1,
/// as editors and TOML parsers show them.
public struct SourceLocation: Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int
    /// Known for syntax errors (the TOML parser reports it) and for values the
    /// locator can point at; nil when only the line is known.
    public let column: Int?

    public init(file: String, line: Int, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        column.map { "\(file):\(line):\($0)" } ?? "\(file):\(line)"
    }
}

/// A bureau key that a genesis file leaves empty for the devnet tooling to fill.
public struct MissingKey: Hashable, Sendable, CustomStringConvertible {
    public let bureau: BureauID
    /// The file's key name: `node_key` or `admin_key`.
    public let key: String
    public let location: SourceLocation?

    public init(bureau: BureauID, key: String, location: SourceLocation?) {
        self.bureau = bureau
        self.key = key
        self.location = location
    }

    public var description: String {
        let place = location.map { " (\($0))" } ?? ""
        return "bureau \(bureau.value): \(key)\(place)"
    }
}

/// Why a genesis value, document or file was refused.
///
/// Value rules (codes, ids, names, caps, ordering) are checked by the value
/// initialisers; the file parser adds `located` so that every problem it reports
/// names file, line and, where known, column.
public enum GenesisError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidLicenceTypeCode(String)
    case invalidBureauID(String)
    case invalidChainID(String)
    case unknownSuite(String)
    case unknownHolderKind(String)
    /// A name is empty, over its byte cap, or holds control characters.
    case invalidName(field: String, reason: String)
    case invalidPublicKey(field: String, reason: String)
    case invalidCheckpointInterval(UInt64)
    case invalidGenesisTime(String)
    /// A list that must be in ascending order with no repeats is not.
    case notSorted(field: String)
    case duplicateLicenceType(LicenceTypeCode)
    case duplicateBureau(BureauID)
    /// One public key used twice; each side names `bureau.role`, e.g. `psb.nodeKey`.
    case duplicateKey(first: String, second: String)
    /// A bureau's rights name a code the catalogue does not hold.
    case unknownLicenceType(bureau: BureauID, code: LicenceTypeCode)
    case tooFewBureaus(count: Int, minimum: Int)
    case tooMany(field: String, count: Int, limit: Int)
    case missingKeys([MissingKey])

    // Raised by the file parser; wrapped in `located`.
    case syntax(String)
    case unknownKey(key: String, table: String)
    case missingField(key: String, table: String)
    case wrongType(key: String, expected: String, found: String)
    case invalidValue(key: String, reason: String)
    /// Keys were offered for a bureau the file does not define.
    case unknownBureau(BureauID, file: String)

    // Reading the file itself, before any parsing.
    case unreadable(file: String, reason: String)
    case fileTooLarge(file: String, size: Int, limit: Int)

    indirect case located(SourceLocation, GenesisError)

    /// The location of a `located` error, else nil.
    public var location: SourceLocation? {
        if case let .located(location, _) = self { return location }
        return nil
    }

    /// The problem without its location.
    public var problem: GenesisError {
        if case let .located(_, inner) = self { return inner.problem }
        return self
    }

    public var description: String {
        switch self {
        case let .invalidLicenceTypeCode(text):
            return "licence type code \(quoted(text)) must match ^[A-Z][A-Z0-9_]{1,31}$"
        case let .invalidBureauID(text):
            return "bureau id \(quoted(text)) must match ^[a-z][a-z0-9-]{1,31}$"
        case let .invalidChainID(text):
            return "chain id \(quoted(text)) must be 1 to 64 of a-z, 0-9 and '-', starting with a letter or digit"
        case let .unknownSuite(text):
            let known = SuiteID.allCases.map { quoted($0.rawValue) }.joined(separator: " or ")
            return "unknown crypto suite \(quoted(text)) (expected \(known))"
        case let .unknownHolderKind(text):
            let known = HolderKind.allCases.map { quoted($0.rawValue) }.joined(separator: " or ")
            return "unknown holder kind \(quoted(text)) (expected \(known))"
        case let .invalidName(field, reason):
            return "\(field): \(reason)"
        case let .invalidPublicKey(field, reason):
            return "\(field): \(reason)"
        case let .invalidCheckpointInterval(value):
            return "checkpoint interval \(value) not in \(GenesisDocument.checkpointIntervalRange.lowerBound)...\(GenesisDocument.checkpointIntervalRange.upperBound)"
        case let .invalidGenesisTime(reason):
            return "genesis time: \(reason)"
        case let .notSorted(field):
            return "\(field) must be in ascending order without repeats"
        case let .duplicateLicenceType(code):
            return "licence type \(code) appears more than once"
        case let .duplicateBureau(id):
            return "bureau \(id) appears more than once"
        case let .duplicateKey(first, second):
            return "\(second) repeats the public key of \(first); every node and admin key must be distinct"
        case let .unknownLicenceType(bureau, code):
            return "bureau \(bureau) may issue \(code), which is not in the licence-type catalogue"
        case let .tooFewBureaus(count, minimum):
            return "\(count) bureaus; PBFT with n = 3f + 1 needs at least \(minimum)"
        case let .tooMany(field, count, limit):
            return "\(field): \(count), over the limit of \(limit)"
        case let .missingKeys(keys):
            return "public keys not yet filled in: " + keys.map(\.description).joined(separator: "; ")
        case let .syntax(message):
            return "TOML syntax: \(message)"
        case let .unknownKey(key, table):
            return "unknown key \(quoted(key)) in \(table)"
        case let .missingField(key, table):
            return "missing required key \(quoted(key)) in \(table)"
        case let .wrongType(key, expected, found):
            return "\(key) must be \(expected), found \(found)"
        case let .invalidValue(key, reason):
            return "\(key): \(reason)"
        case let .unknownBureau(id, file):
            return "\(file): no bureau with id \(quoted(id.value))"
        case let .unreadable(file, reason):
            return "\(file): cannot read: \(reason)"
        case let .fileTooLarge(file, size, limit):
            return "\(file): \(size) bytes, over the limit of \(limit) bytes"
        case let .located(location, inner):
            return "\(location): \(inner.description)"
        }
    }
}

/// Quoted with control characters escaped, so a bad value shows as it is, and
/// cut short so that a megabyte of junk does not become a megabyte of message.
func quoted(_ text: String) -> String {
    let limit = 80
    var out = ""
    for (index, scalar) in text.unicodeScalars.enumerated() {
        if index == limit {
            out += "…"
            break
        }
        out += scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)
    }
    return "\"" + out + "\""
}
