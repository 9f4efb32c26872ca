import GenesisFile
import LedgerCore
import LedgerState
import Testing

/// One edit to `GenesisFixtures.small` and the error it must give.
struct BrokenInput: Sendable, CustomTestStringConvertible {
    let name: String
    let target: String
    let replacement: String
    /// nil: any TOML syntax error (its wording is TOMLKit's).
    let problem: GenesisError?
    let line: Int
    let column: Int?

    init(_ name: String, _ target: String, _ replacement: String, _ problem: GenesisError?, line: Int, column: Int? = nil) {
        self.name = name
        self.target = target
        self.replacement = replacement
        self.problem = problem
        self.line = line
        self.column = column
    }

    var testDescription: String { name }
}

private let id = GenesisFixtures.id
private let code = GenesisFixtures.code

let brokenInputs: [BrokenInput] = [
    .init("TOML syntax", "checkpoint_interval = 16", "checkpoint_interval = ", nil, line: 4),
    .init("unterminated string", "name_en = \"Tax Bureau\"", "name_en = \"Tax Bureau", nil, line: 54),
    .init("bad chain id", "\"civic-test\"", "\"Civic Test\"", .invalidChainID("Civic Test"), line: 1, column: 12),
    .init("unknown suite", "\"standard\"", "\"rsa\"", .unknownSuite("rsa"), line: 2, column: 9),
    .init(
        "genesis time without offset", "2026-01-01T00:00:00Z", "2026-01-01T00:00:00",
        .invalidGenesisTime("needs a UTC offset (e.g. 2026-01-01T00:00:00Z); a local time means different instants on different nodes"),
        line: 3),
    .init(
        "genesis time as a string", "2026-01-01T00:00:00Z", "\"2026-01-01\"",
        .wrongType(key: "genesis_time", expected: "an offset date-time such as 2026-01-01T00:00:00Z", found: "a string"),
        line: 3, column: 1),
    .init(
        "checkpoint interval 0", "checkpoint_interval = 16", "checkpoint_interval = 0",
        .invalidValue(key: "checkpoint_interval", reason: "0 not in 1...1024"), line: 4, column: 23),
    .init(
        "unknown top-level key", "suite = \"standard\"", "suite = \"standard\"\nsuit = \"guomi\"",
        .unknownKey(key: "suit", table: "the top level"), line: 3),
    .init(
        "missing top-level key", "suite = \"standard\"", "# suite forgotten",
        .missingField(key: "suite", table: "the top level"), line: 1),
    .init(
        "duplicate licence code", "code = \"BUSINESS_LICENCE\"", "code = \"RESIDENT_ID_CARD\"",
        .duplicateLicenceType(code("RESIDENT_ID_CARD")), line: 13, column: 8),
    .init("malformed licence code", "code = \"BUSINESS_LICENCE\"", "code = \"business\"", .invalidLicenceTypeCode("business"), line: 13),
    .init("unknown holder kind", "\"organisation\"", "\"company\"", .unknownHolderKind("company"), line: 16),
    .init(
        "missing name in licence type", "name_en = \"Business Licence\"", "",
        .missingField(key: "name_en", table: "[[licence_type]]"), line: 12, column: 1),
    .init(
        "unknown key in licence type", "holder_kind = \"person\"", "holder = \"person\"",
        .unknownKey(key: "holder", table: "[[licence_type]]"), line: 10),
    .init(
        "empty name", "name_zh = \"营业执照\"", "name_zh = \"\"", .invalidName(field: "name_zh", reason: "must not be empty"),
        line: 14),
    .init(
        "typo in bureau key", "registers_offices = true", "registers_office = true",
        .unknownKey(key: "registers_office", table: "[[bureau]]"), line: 25),
    .init("duplicate bureau id", "id = \"samr\"", "id = \"psb\"", .duplicateBureau(id("psb")), line: 41, column: 6),
    .init("malformed bureau id", "id = \"tax\"", "id = \"Tax\"", .invalidBureauID("Tax"), line: 52),
    .init(
        "unknown code in rights", "[\"RESIDENT_ID_CARD\"]", "[\"RESIDENT_ID_CARD\", \"PASSPORT\"]",
        .unknownLicenceType(bureau: id("psb"), code: code("PASSPORT")), line: 35, column: 38),
    .init(
        "unknown code on its own line", "licence_types = [\"BUSINESS_LICENCE\"]",
        "licence_types = [\n    \"BUSINESS_LICENCE\",  # ok\n    \"LIQUOR_LICENCE\",\n]",
        .unknownLicenceType(bureau: id("samr"), code: code("LIQUOR_LICENCE")), line: 48, column: 5),
    .init(
        "repeated code in rights", "[\"RESIDENT_ID_CARD\"]", "[\"RESIDENT_ID_CARD\", \"RESIDENT_ID_CARD\"]",
        .invalidValue(key: "licence_types", reason: "RESIDENT_ID_CARD is listed twice"), line: 35, column: 38),
    .init(
        "rights not strings", "[\"RESIDENT_ID_CARD\"]", "[1]",
        .wrongType(key: "licence_types", expected: "an array of strings", found: "an integer"), line: 35, column: 18),
    .init(
        "rights not an array", "[\"RESIDENT_ID_CARD\"]", "\"RESIDENT_ID_CARD\"",
        .wrongType(key: "licence_types", expected: "an array of licence type codes", found: "a string"), line: 35),
    .init(
        "flag not a boolean", "registers_auditors = true", "registers_auditors = \"yes\"",
        .wrongType(key: "registers_auditors", expected: "true or false", found: "a string"), line: 60),
    .init(
        "missing flag", "registers_taxpayers = true", "",
        .missingField(key: "registers_taxpayers", table: "[[bureau]]"), line: 51),
    .init(
        "key not hex", "id = \"gsdmb\"\nname_zh = \"政务服务数据管理局\"\nname_en = \"Government Services and Data Management Bureau\"\nnode_key = \"\"",
        "id = \"gsdmb\"\nname_zh = \"政务服务数据管理局\"\nname_en = \"Government Services and Data Management Bureau\"\nnode_key = \"xyz\"",
        .invalidPublicKey(field: "bureau gsdmb node_key", reason: "not hexadecimal"), line: 22, column: 12),
    .init(
        "key too short", "id = \"psb\"\nname_zh = \"公安局\"\nname_en = \"Public Security Bureau\"\nnode_key = \"\"",
        "id = \"psb\"\nname_zh = \"公安局\"\nname_en = \"Public Security Bureau\"\nnode_key = \"02abcd\"",
        .invalidPublicKey(field: "bureau psb node_key", reason: "3 bytes; expected a 33-byte compressed SEC1 key starting 02 or 03"),
        line: 33),
    .init(
        "key not on the curve", "name_en = \"Tax Bureau\"\nnode_key = \"\"\nadmin_key = \"\"",
        "name_en = \"Tax Bureau\"\nnode_key = \"\"\nadmin_key = \"02" + String(repeating: "ff", count: 32) + "\"",
        .invalidPublicKey(field: "bureau tax admin_key", reason: "not a point on the standard suite's curve"), line: 56),
    .init(
        "sub-table inside a bureau", "[[bureau]]\nid = \"samr\"", "[bureau.notes]\nx = 1\n\n[[bureau]]\nid = \"samr\"",
        .unknownKey(key: "notes", table: "[[bureau]]"), line: 40, column: 1),
    .init(
        "unknown array of tables", "\n[[bureau]]\nid = \"tax\"", "\n[[removed]]\nid = \"tax\"",
        .unknownKey(key: "removed", table: "the top level"), line: 51),
    .init(
        "NUL escape in a name", "\"Tax Bureau\"", "\"Tax\\u0000Bureau\"", .syntax("the escape for NUL is not allowed"),
        line: 54, column: 15),
    .init("raw NUL", "\"Tax Bureau\"", "\"Tax\u{0}Bureau\"", .syntax("NUL character"), line: 54, column: 15),
]

@Suite("Genesis file: broken inputs")
struct GenesisBrokenInputTests {
    @Test("The fixture itself is valid")
    func fixtureValid() throws {
        let spec = try GenesisFile.parse(GenesisFixtures.small, file: "small.toml")
        #expect(spec.bureaus.count == 4 && spec.licenceTypes.count == 2)
    }

    @Test("Each broken input gives its error at the exact line", arguments: brokenInputs)
    func broken(_ input: BrokenInput) {
        let text = GenesisFixtures.small.replacingOccurrences(input.target, with: input.replacement)
        check(text, input.problem, line: input.line, column: input.column)
    }

    @Test("One key used by two bureaus is refused at the second use")
    func sharedKey() {
        let key = GenesisFixtures.key(9).hex
        let text = GenesisFixtures.small
            .replacingOccurrences("name_en = \"Public Security Bureau\"\nnode_key = \"\"", with: "name_en = \"Public Security Bureau\"\nnode_key = \"\(key)\"")
            .replacingOccurrences("name_en = \"Tax Bureau\"\nnode_key = \"\"\nadmin_key = \"\"", with: "name_en = \"Tax Bureau\"\nnode_key = \"\"\nadmin_key = \"\(key)\"")
        check(text, .duplicateKey(first: "psb.node_key", second: "tax.admin_key"), line: 56, column: 13)
    }

    @Test("Three bureaus are too few for PBFT")
    func tooFew() {
        let lines = GenesisFixtures.small.split(separator: "\n", omittingEmptySubsequences: false)
        let text = lines.prefix(50).joined(separator: "\n")  // drops the tax bureau
        check(text, .tooFewBureaus(count: 3, minimum: 4), line: 40)
    }

    @Test("An inline array of tables is located through its elements")
    func inlineTables() {
        let text = GenesisFixtures.small.replacingOccurrences(
            "[[licence_type]]\ncode = \"BUSINESS_LICENCE\"\nname_zh = \"营业执照\"\nname_en = \"Business Licence\"\nholder_kind = \"organisation\"\n",
            with: "")
            .replacingOccurrences(
                "[[licence_type]]\ncode = \"RESIDENT_ID_CARD\"\nname_zh = \"居民身份证\"\nname_en = \"Resident Identity Card\"\nholder_kind = \"person\"\n",
                with: "")
            .replacingOccurrences(
                "checkpoint_interval = 16\n",
                with: "checkpoint_interval = 16\nlicence_type = [\n  { code = \"RESIDENT_ID_CARD\", name_zh = \"居民身份证\", name_en = \"R\", holder_kind = \"person\" },\n  { code = \"BUSINESS_LICENCE\", name_zh = \"营业执照\", name_en = \"B\", holder_kind = \"firm\" },\n]\n")
        check(text, .unknownHolderKind("firm"), line: 7, column: 3)
    }

    @Test("Syntax errors carry TOMLKit's line and column")
    func syntaxPosition() {
        // A repeated key is valid token by token, so only TOMLKit can see it.
        let text = GenesisFixtures.small.replacingOccurrences(
            "holder_kind = \"person\"", with: "holder_kind = \"person\"\nholder_kind = \"person\"")
        #expect {
            try GenesisFile.parse(text, file: "small.toml")
        } throws: { error in
            let error = error as! GenesisError
            guard case .syntax = error.problem else { return false }
            return error.location == SourceLocation(file: "small.toml", line: 11, column: 15)
                && error.description.hasPrefix("small.toml:11:15: TOML syntax: ")
        }
    }

    /// Found by fuzzing (tools/fuzz/run genesis): a backslash as the very last
    /// byte of an unclosed string moved the scanner past the end of the file,
    /// and the next read trapped. Now it is an error like any other.
    @Test("A string whose escape's backslash is the last byte of the file is an error, not a crash", arguments: ["\"", "\"\"\""])
    func backslashAtEndOfFile(_ opening: String) {
        let text = GenesisFixtures.small + "\nextra = \(opening)abc\\"
        #expect(throws: GenesisError.self) { try GenesisFile.parse(text, file: "small.toml") }
    }

    private func check(
        _ text: String, _ problem: GenesisError?, line: Int, column: Int? = nil, sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        do {
            let spec = try GenesisFile.parse(text, file: "small.toml")
            Issue.record("accepted: \(spec.bureaus.map(\.id))", sourceLocation: sourceLocation)
        } catch {
            if let problem {
                #expect(error.problem == problem, sourceLocation: sourceLocation)
            } else if case .syntax = error.problem {
            } else {
                Issue.record("expected a syntax error, got \(error)", sourceLocation: sourceLocation)
            }
            #expect(error.location?.file == "small.toml", sourceLocation: sourceLocation)
            #expect(error.location?.line == line, "\(error)", sourceLocation: sourceLocation)
            if let column {
                #expect(error.location?.column == column, "\(error)", sourceLocation: sourceLocation)
            }
            #expect(error.description.hasPrefix("small.toml:\(line):"), sourceLocation: sourceLocation)
        }
    }
}
