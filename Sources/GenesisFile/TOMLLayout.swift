/// Where each table header, key and array element sits in a TOML text.
///
/// TOMLKit returns values without source positions, yet every genesis error must
/// name its line. This scanner recovers positions from the text, and on the way
/// notes the first construct outside the genesis subset of TOML (`problem`).
/// It runs on any text before TOMLKit does, so it is total: every loop
/// consumes at least one byte per turn and nesting is capped.
struct TOMLLayout {
    struct Position: Equatable {
        var line: Int
        var column: Int
    }

    /// One top-level element of an array value, e.g. a code in `licence_types`.
    struct Element {
        var position: Position
        /// The string's text when it is a plain quoted string without escapes.
        var text: String?
    }

    struct Entry {
        /// The first segment of the key as written (`a` for `a.b = 1`).
        var key: String
        var position: Position
        var valuePosition: Position
        /// Byte range of the value, so that the key filler can replace it.
        var valueRange: Range<Int>
        var elements: [Element]
    }

    struct Table {
        /// Header key segments; empty for the root table.
        var name: [String]
        var isArray: Bool
        var position: Position
        var entries: [Entry]
    }

    /// The root table first, then every header in source order.
    private(set) var tables: [Table]
    /// The first construct outside the subset of TOML that genesis files use, or
    /// malformed inside it, as byte offset and message. toml++ trusts its own
    /// pre-scan of a value and asserts on some malformed ones instead of
    /// reporting them, so `TOMLPreflight` refuses these before TOMLKit parses.
    private(set) var problem: (offset: Int, message: String)?

    init(_ text: String) {
        var scanner = Scanner(bytes: Array(text.utf8))
        tables = scanner.scan()
        problem = scanner.problem
    }

    /// The `index`-th `[[name]]` table.
    func arrayTable(_ name: String, _ index: Int) -> Table? {
        let matching = tables.lazy.filter { $0.isArray && $0.name == [name] }
        return matching.dropFirst(index).first
    }

    /// The entry for `key` in a table, or the header of a `[table.key]` sub-table
    /// that follows it (TOML's other way of giving a table a key).
    func entry(_ key: String, in table: Table) -> Entry? {
        if let found = table.entries.first(where: { $0.key == key }) { return found }
        guard let start = tables.firstIndex(where: { $0.position == table.position }) else { return nil }
        for later in tables[(start + 1)...] {
            guard later.name.count > table.name.count, later.name.starts(with: table.name) else { break }
            if later.name[table.name.count] == key {
                return Entry(key: key, position: later.position, valuePosition: later.position, valueRange: 0..<0, elements: [])
            }
        }
        return nil
    }
}

private struct Scanner {
    let bytes: [UInt8]
    var i = 0
    /// Byte offset of each line's first byte, for turning offsets into positions.
    let lineStarts: [Int]
    /// Genesis files nest at most an inline table in an array; deeper nesting is
    /// refused, so the checks below see every value toml++ will parse.
    let maxDepth = 8
    var problem: (offset: Int, message: String)?

    mutating func report(_ offset: Int, _ message: String) {
        if problem == nil { problem = (offset, message) }
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    func position(_ offset: Int) -> TOMLLayout.Position {
        // Last line start at or before the offset.
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        let start = lineStarts[low]
        let end = min(offset, bytes.count)
        // Columns count characters, not bytes: skip UTF-8 continuation bytes.
        let column = start < end ? bytes[start..<end].filter { $0 & 0xC0 != 0x80 }.count : 0
        return .init(line: low + 1, column: column + 1)
    }

    var current: UInt8? { i < bytes.count ? bytes[i] : nil }

    func peek(_ offset: Int) -> UInt8? { i + offset < bytes.count ? bytes[i + offset] : nil }

    mutating func skipSpaces() {
        while let c = current, c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") { i += 1 }
    }

    mutating func skipToEndOfLine() {
        while let c = current, c != UInt8(ascii: "\n") { i += 1 }
    }

    /// Spaces, newlines and comments, as allowed between array elements.
    mutating func skipBlank() {
        while let c = current {
            if c == UInt8(ascii: "#") {
                skipToEndOfLine()
            } else if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") || c == UInt8(ascii: "\n") {
                i += 1
            } else {
                return
            }
        }
    }

    mutating func scan() -> [TOMLLayout.Table] {
        var tables = [TOMLLayout.Table(name: [], isArray: false, position: .init(line: 1, column: 1), entries: [])]
        while let c = (skipSpaces(), current).1 {
            let before = i
            switch c {
            case UInt8(ascii: "\n"):
                i += 1
            case UInt8(ascii: "#"):
                skipToEndOfLine()
            case UInt8(ascii: "["):
                let start = i
                let isArray = peek(1) == UInt8(ascii: "[")
                i += isArray ? 2 : 1
                let name = keyPath()
                tables.append(.init(name: name, isArray: isArray, position: position(start), entries: []))
                skipToEndOfLine()
            default:
                let start = i
                let path = keyPath()
                skipSpaces()
                if current == UInt8(ascii: "=") {
                    i += 1
                    skipSpaces()
                    let valueStart = i
                    let elements = value(depth: 0)
                    tables[tables.count - 1].entries.append(.init(
                        key: path.first ?? "", position: position(start), valuePosition: position(valueStart),
                        valueRange: valueStart..<trimmedEnd(from: valueStart), elements: elements))
                } else {
                    skipToEndOfLine()
                }
            }
            if i == before { i += 1 }
        }
        return tables
    }

    /// Moves on `count` bytes, never past the end: an escape's backslash may be
    /// the last byte of the file (found by fuzzing: `i` ran one past the end and
    /// the next read trapped).
    mutating func advance(_ count: Int) {
        i = min(i + count, bytes.count)
    }

    /// End of a value with trailing spaces dropped (scalars run up to a comment).
    func trimmedEnd(from start: Int) -> Int {
        var end = min(i, bytes.count)
        while end > start, [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")].contains(bytes[end - 1]) { end -= 1 }
        return end
    }

    /// Dotted key segments: bare, "basic" or 'literal'.
    mutating func keyPath() -> [String] {
        var segments: [String] = []
        while true {
            skipSpaces()
            guard let c = current else { return segments }
            if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                segments.append(quotedText() ?? "")
            } else {
                let start = i
                while let b = current, isBareKeyByte(b) { i += 1 }
                guard i > start else { return segments }
                segments.append(String(decoding: bytes[start..<i], as: UTF8.self))
            }
            skipSpaces()
            guard current == UInt8(ascii: ".") else { return segments }
            i += 1
        }
    }

    func isBareKeyByte(_ b: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(b) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(b)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    /// Skips a quoted string of any of TOML's four kinds. Returns its text when it
    /// is a one-line string without escapes, the only kind the genesis needs to read back.
    mutating func quotedText() -> String? {
        guard let quote = current else { return nil }
        let literal = quote == UInt8(ascii: "'")
        if peek(1) == quote, peek(2) == quote {
            report(i, "multi-line strings are not used in genesis files")
            i += 3
            while let c = current {
                if !literal, c == UInt8(ascii: "\\") {
                    advance(2)
                } else if c == quote, peek(1) == quote, peek(2) == quote {
                    i += 3
                    // Up to two more quotes may close a multi-line string: """a""""
                    for _ in 0..<2 where current == quote { i += 1 }
                    return nil
                } else {
                    i += 1
                }
            }
            return nil
        }
        i += 1
        let start = i
        var escaped = false
        while let c = current, c != UInt8(ascii: "\n") {
            if c == quote {
                i += 1
                return escaped ? nil : String(decoding: bytes[start..<i - 1], as: UTF8.self)
            }
            if !literal, c == UInt8(ascii: "\\") {
                escaped = true
                if !validEscape() { report(i, "invalid escape sequence") }
                advance(1)
            }
            advance(1)
        }
        report(start - 1, "string not closed on its line")
        return nil
    }

    /// TOML's escapes: \b \t \n \f \r \" \\ \uXXXX \UXXXXXXXX, with `i` at the backslash.
    func validEscape() -> Bool {
        guard let kind = peek(1) else { return false }
        let hexCount: Int
        switch kind {
        case UInt8(ascii: "b"), UInt8(ascii: "t"), UInt8(ascii: "n"), UInt8(ascii: "f"), UInt8(ascii: "r"),
            UInt8(ascii: "\""), UInt8(ascii: "\\"):
            return true
        case UInt8(ascii: "u"): hexCount = 4
        case UInt8(ascii: "U"): hexCount = 8
        default: return false
        }
        return (0..<hexCount).allSatisfy { offset in peek(2 + offset).map(ScalarGrammar.isHexDigit) ?? false }
    }

    /// Skips one value; for an array, returns where its top-level elements start.
    mutating func value(depth: Int) -> [TOMLLayout.Element] {
        guard let c = current else { return [] }
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            _ = quotedText()
            return []
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            guard depth < maxDepth else {
                report(i, "arrays and inline tables nested more than \(maxDepth) deep are not used in genesis files")
                i += 1
                return []
            }
            let closing = c == UInt8(ascii: "[") ? UInt8(ascii: "]") : UInt8(ascii: "}")
            i += 1
            var elements: [TOMLLayout.Element] = []
            while let next = (skipBlank(), current).1 {
                let before = i
                if next == closing {
                    i += 1
                    break
                } else if next == UInt8(ascii: ",") {
                    i += 1
                } else if closing == UInt8(ascii: "]"), next == UInt8(ascii: "}") {
                    report(i, "'}' where an array expects a value or ']'")
                    i += 1
                } else if closing == UInt8(ascii: "}") {
                    // Inline table: key = value pairs.
                    _ = keyPath()
                    skipSpaces()
                    if current == UInt8(ascii: "=") { i += 1 }
                    skipSpaces()
                    _ = value(depth: depth + 1)
                } else {
                    let start = i
                    var text: String?
                    if next == UInt8(ascii: "\"") || next == UInt8(ascii: "'") {
                        text = quotedText()
                    } else {
                        _ = value(depth: depth + 1)
                    }
                    elements.append(.init(position: position(start), text: text))
                }
                if i == before { i += 1 }
            }
            return elements
        default:
            let start = i
            // Numbers, booleans, dates: up to a separator, comment or line end.
            let stops = ([",", "]", "}", "\n", "#"] as [Unicode.Scalar]).map { UInt8(ascii: $0) }
            while let b = current, !stops.contains(b) { i += 1 }
            let token = bytes[start..<trimmedEnd(from: start)]
            if !token.isEmpty, !ScalarGrammar.isValid(token) {
                let shown = String(decoding: token.prefix(40), as: UTF8.self)
                report(start, "unsupported or malformed value \"\(shown)\" (expected a string, number, true, false or date-time)")
            }
            return []
        }
    }
}

extension TOMLLayout {
    /// Line and column (in characters) of a byte offset; for error paths, where
    /// no layout has been built.
    static func position(of offset: Int, in bytes: [UInt8]) -> Position {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var column = 1
        for byte in bytes[..<end] {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return Position(line: line, column: column)
    }
}
