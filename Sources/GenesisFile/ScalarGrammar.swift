/// Exact TOML grammar for the bare values a genesis file can hold: booleans,
/// decimal integers and floats, dates, times and date-times. Checked before
/// toml++ sees them, because toml++ classifies a value by the characters it
/// contains and then asserts that the rest fits, rather than reporting when
/// it does not (`2026-01-01TT00:00:00Z` trapped it).
enum ScalarGrammar {
    static func isValid(_ token: ArraySlice<UInt8>) -> Bool {
        let text = Array(token)
        if text == Array("true".utf8) || text == Array("false".utf8) { return true }
        if ["inf", "+inf", "-inf", "nan", "+nan", "-nan"].contains(where: { Array($0.utf8) == text }) { return true }
        var reader = Reader(bytes: text)
        if reader.dateTime(), reader.atEnd { return true }
        reader = Reader(bytes: text)
        if reader.time(), reader.atEnd { return true }
        reader = Reader(bytes: text)
        return reader.number() && reader.atEnd
    }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private struct Reader {
        let bytes: [UInt8]
        var i = 0

        var atEnd: Bool { i == bytes.count }

        mutating func take(_ ascii: Unicode.Scalar) -> Bool {
            guard i < bytes.count, bytes[i] == UInt8(ascii: ascii) else { return false }
            i += 1
            return true
        }

        mutating func takeAny(_ options: [Unicode.Scalar]) -> Bool {
            options.contains { take($0) }
        }

        mutating func digits(_ count: Int) -> Bool {
            guard i + count <= bytes.count, bytes[i..<i + count].allSatisfy(ScalarGrammar.isDigit) else { return false }
            i += count
            return true
        }

        /// One or more digits, single underscores only between digits.
        mutating func digitRun() -> Bool {
            guard digits(1) else { return false }
            while true {
                if digits(1) { continue }
                let mark = i
                if take("_"), digits(1) { continue }
                i = mark
                return true
            }
        }

        /// `YYYY-MM-DD`, optionally `T`/`t`/space and a time, optionally an offset.
        mutating func dateTime() -> Bool {
            guard digits(4), take("-"), digits(2), take("-"), digits(2) else { return false }
            if atEnd { return true }
            guard takeAny(["T", "t", " "]), time() else { return false }
            if atEnd { return true }
            if takeAny(["Z", "z"]) { return true }
            return takeAny(["+", "-"]) && digits(2) && take(":") && digits(2)
        }

        /// `HH:MM:SS` with optional fraction.
        mutating func time() -> Bool {
            guard digits(2), take(":"), digits(2), take(":"), digits(2) else { return false }
            let mark = i
            if take(".") {
                guard digits(1) else { return false }
                while digits(1) {}
            } else {
                i = mark
            }
            return true
        }

        /// Decimal integer or float; no leading zeros, as TOML requires.
        mutating func number() -> Bool {
            _ = takeAny(["+", "-"])
            guard i < bytes.count else { return false }
            if bytes[i] == UInt8(ascii: "0") {
                i += 1
            } else if !digitRun() {
                return false
            }
            if take(".") {
                guard digitRun() else { return false }
            }
            if takeAny(["e", "E"]) {
                _ = takeAny(["+", "-"])
                guard digitRun() else { return false }
            }
            return true
        }
    }
}
