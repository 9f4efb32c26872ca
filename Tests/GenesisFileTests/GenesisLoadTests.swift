import Foundation
import GenesisFile
import LedgerState
import Testing

@Suite("Genesis file: loading")
struct GenesisLoadTests {
    let directory: String

    init() throws {
        directory = NSTemporaryDirectory() + "genesis-load-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    @Test("A missing file, a directory and an oversize file are refused by name")
    func refusals() throws {
        let missing = directory + "/nope.toml"
        #expect(throws: GenesisError.unreadable(file: missing, reason: "no such file or directory")) {
            try GenesisFile.load(path: missing)
        }
        #expect(throws: GenesisError.unreadable(file: directory, reason: "is a directory")) {
            try GenesisFile.load(path: directory)
        }
        let big = directory + "/big.toml"
        try Data(repeating: UInt8(ascii: "#"), count: GenesisFile.maxFileSize + 1).write(to: URL(fileURLWithPath: big))
        #expect {
            try GenesisFile.load(path: big)
        } throws: { error in
            guard case .fileTooLarge(let file, _, let limit) = error as? GenesisError else { return false }
            return file == big && limit == GenesisFile.maxFileSize
        }
        try FileManager.default.removeItem(atPath: directory)
    }

    @Test("Invalid UTF-8 is refused at its line and column")
    func invalidUTF8() throws {
        let path = directory + "/latin1.toml"
        let bytes = Array("chain_id = \"civic\"\nsuite = \"".utf8) + [0xE9] + Array("\"\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        #expect(throws: GenesisError.located(SourceLocation(file: path, line: 2, column: 10), .syntax("not valid UTF-8"))) {
            try GenesisFile.load(path: path)
        }
        try FileManager.default.removeItem(atPath: directory)
    }

    /// Each of these made TOMLKit's toml++ fail an assertion (found by the fuzz test).
    @Test("Other inputs toml++ traps on are refused before it sees them")
    func otherTraps() {
        for (text, line, column, prefix) in [
            ("a = [1, }]\n", 1, 9, "'}' where an array expects"),
            ("a = [\n  \u{2028}1]\n", 2, 3, "the Unicode line break U+2028"),
            ("# \u{85}\n", 1, 3, "the Unicode line break U+0085"),
            ("t = 1979-05-27T:00\n", 1, 16, "a date-time needs the hour"),
            ("t = 2026-01-01TT00:00:00Z\n", 1, 5, "unsupported or malformed value"),
            ("t = 1979-05-27 0]7:32:00\n", 1, 5, "unsupported or malformed value"),
            ("n = 0x1F\n", 1, 5, "unsupported or malformed value"),
            ("s = \"\"\"a\"\"\"\n", 1, 5, "multi-line strings"),
            ("s = \"a\\qb\"\n", 1, 7, "invalid escape"),
            ("a = " + String(repeating: "[", count: 9) + String(repeating: "]", count: 9), 1, 13, "arrays and inline tables nested"),
        ] {
            #expect {
                try GenesisFile.parse(text, file: "t.toml")
            } throws: { error in
                let error = error as! GenesisError
                guard case .syntax(let message) = error.problem else { return false }
                return message.hasPrefix(prefix) && error.location == SourceLocation(file: "t.toml", line: line, column: column)
            }
        }
    }

    @Test("Header starts that toml++ cannot handle are refused before it sees them")
    func badHeaderStarts() {
        for (text, line, column) in [
            ("[=]\n", 1, 2), ("a = 1\n  [ é]\n", 2, 5), ("[[\n", 1, 3), ("\u{FEFF}[\u{3000}#]", 1, 4), ("[a]\n[[ [x]]\n", 2, 4),
        ] {
            #expect {
                try GenesisFile.parse(text, file: "h.toml")
            } throws: { error in
                let error = error as! GenesisError
                guard case .syntax(let message) = error.problem else { return false }
                return message.hasPrefix("a table header must start with a key")
                    && error.location == SourceLocation(file: "h.toml", line: line, column: column)
            }
        }
    }
}

@Suite("Genesis file: genesis time")
struct GenesisTimeTests {
    private func millis(_ literal: String) throws -> UInt64 {
        let text = GenesisFixtures.small.replacingOccurrences("2026-01-01T00:00:00Z", with: literal)
        return try GenesisFile.parse(text, file: "t.toml").genesisTimeMillis
    }

    @Test("Offset date-times become Unix milliseconds, whatever the offset")
    func conversions() throws {
        #expect(try millis("1970-01-01T00:00:00Z") == 0)
        #expect(try millis("2026-01-01T00:00:00Z") == 1_767_225_600_000)
        #expect(try millis("2026-01-01T08:00:00+08:00") == 1_767_225_600_000)
        #expect(try millis("2025-12-31 19:30:00.250-04:30") == 1_767_225_600_250)
        #expect(try millis("2024-02-29T12:00:00Z") == 1_709_208_000_000)  // leap day
    }

    @Test("Before 1970 and sub-millisecond times are refused at the line")
    func refusals() {
        for literal in ["1969-12-31T23:59:59Z", "2026-01-01T00:00:00.0001Z"] {
            #expect {
                try millis(literal)
            } throws: { error in
                let error = error as! GenesisError
                guard case .invalidGenesisTime = error.problem else { return false }
                return error.location?.line == 3 && error.location?.column == 16
            }
        }
    }
}
