import LedgerState

/// Refuses the inputs that TOMLKit's bundled toml++ mishandles, before it sees them.
enum TOMLPreflight {
    static func check(_ text: String, file: String) throws(GenesisError) {
        try refuseNUL(text, file: file)
        try refuseUnicodeLineBreaks(text, file: file)
        try refuseBadHeaderStart(text, file: file)
        try refuseTimeWithoutHour(text, file: file)
        if let problem = TOMLLayout(text).problem {
            throw fail(problem.message, at: problem.offset, in: Array(text.utf8), file: file)
        }
    }

    /// toml++ asserts that a digit follows the `T` of a date-time, so
    /// `2026-01-01T:00` would trap. A digit, `T` or `t`, then `:` is never valid
    /// TOML outside strings and comments, and no genesis text needs it inside them.
    static func refuseTimeWithoutHour(_ text: String, file: String) throws(GenesisError) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 3 else { return }
        for index in 1..<(bytes.count - 1)
        where (bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t"))
            && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index - 1]) && bytes[index + 1] == UInt8(ascii: ":")
        {
            throw fail("a date-time needs the hour right after its 'T'", at: index + 1, in: bytes, file: file)
        }
    }

    /// NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR are no TOML line breaks, but
    /// toml++ counts them as value terminators and asserts when one stands where
    /// an array value should start. Refused everywhere, strings included: no
    /// genesis name needs them, and they can hide text in a diff.
    static func refuseUnicodeLineBreaks(_ text: String, file: String) throws(GenesisError) {
        var offset = 0
        for scalar in text.unicodeScalars {
            if scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                let name = "U+" + String(scalar.value, radix: 16, uppercase: true).leftPadded(to: 4)
                throw fail("the Unicode line break \(name) is not allowed", at: offset, in: Array(text.utf8), file: file)
            }
            offset += UTF8.width(scalar)
        }
    }

    /// TOMLKit hands the text to C as a NUL-terminated string, and returns string
    /// values the same way, so a NUL (raw, or escaped as \u0000) would silently cut
    /// the file or a value short. Refused outright, in comments too.
    static func refuseNUL(_ text: String, file: String) throws(GenesisError) {
        let bytes = Array(text.utf8)
        let escapes = [Array("\\u0000".utf8), Array("\\U00000000".utf8)]
        for index in bytes.indices {
            let raw = bytes[index] == 0
            let escaped = bytes[index] == UInt8(ascii: "\\") && escapes.contains { bytes[index...].starts(with: $0) }
            if raw || escaped {
                throw fail(raw ? "NUL character" : "the escape for NUL is not allowed", at: index, in: bytes, file: file)
            }
        }
    }

    /// toml++ 3 reads a table header's key assuming the character after `[` or
    /// `[[` (and spaces) can start one; anything else (`[=]`, `[é]`, `[` at line
    /// end) fails an assertion in debug builds and is undefined behaviour in
    /// release builds. Checked on every line that starts with `[`, whatever the
    /// context: this also refuses nested arrays whose lines open with `[{` or
    /// a bare `[`, which no genesis file needs.
    static func refuseBadHeaderStart(_ text: String, file: String) throws(GenesisError) {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var atLineStart = true
        var byteOffset = 0
        var offsets: [Int] = []  // byte offset of each scalar, for the error position
        offsets.reserveCapacity(scalars.count + 1)
        for scalar in scalars {
            offsets.append(byteOffset)
            byteOffset += UTF8.width(scalar)
        }
        offsets.append(byteOffset)
        func skipSpace(_ i: inout Int) {
            while i < scalars.count, isHorizontalSpace(scalars[i]) { i += 1 }
        }
        while index < scalars.count {
            if isLineBreak(scalars[index]) {
                atLineStart = true
                index += 1
                continue
            }
            guard atLineStart else {
                index += 1
                continue
            }
            atLineStart = false
            var i = index
            skipSpace(&i)
            guard i < scalars.count, scalars[i] == "[" else {
                index = max(i, index + 1)
                continue
            }
            i += 1
            skipSpace(&i)
            if i < scalars.count, scalars[i] == "[" {
                i += 1
                skipSpace(&i)
            }
            if i < scalars.count, !canStartHeaderKey(scalars[i]) {
                let bytes = Array(text.utf8)
                let shown = isLineBreak(scalars[i]) ? "the end of the line" : quotedScalar(scalars[i])
                throw fail("a table header must start with a key, found \(shown)", at: offsets[i], in: bytes, file: file)
            }
            index = i
        }
    }

    private static func canStartHeaderKey(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_", "-", "\"", "'", "]": return true
        default: return false
        }
    }

    /// Wider than TOML's space and tab on purpose: toml++ also skips Unicode
    /// spaces and the byte-order mark, and a header it reaches must be checked.
    private static func isHorizontalSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\u{FEFF}" || (scalar.properties.isWhitespace && !isLineBreak(scalar))
    }

    private static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        ["\n", "\r", "\u{0B}", "\u{0C}", "\u{85}", "\u{2028}", "\u{2029}"].contains(scalar)
    }

    private static func quotedScalar(_ scalar: Unicode.Scalar) -> String {
        "\"" + (scalar.properties.generalCategory == .control ? scalar.escaped(asASCII: true) : String(scalar)) + "\""
    }

    private static func fail(_ message: String, at offset: Int, in bytes: [UInt8], file: String) -> GenesisError {
        let position = TOMLLayout.position(of: offset, in: bytes)
        return .located(SourceLocation(file: file, line: position.line, column: position.column), .syntax(message))
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
