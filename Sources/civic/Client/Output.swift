import CLISupport
import Foundation

/// How commands print: JSON documents for scripts, aligned tables and
/// labelled lines for people.
enum Output {
    static func json(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let text = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        Console.writeOut(text)
    }

    static func line(_ text: String) {
        Console.writeOut(text)
    }

    /// `label: value` lines with the values aligned.
    static func fields(_ pairs: [(String, String)]) {
        let width = pairs.map { displayWidth($0.0) }.max() ?? 0
        Console.writeOut(pairs.map { label, value in
            label + ":" + String(repeating: " ", count: width - displayWidth(label) + 2) + value
        }.joined(separator: "\n"))
    }

    /// A table with a header row; columns are as wide as their widest cell
    /// (counting CJK characters as two columns, as terminals draw them).
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { displayWidth($0[column]) }.max() ?? 0 }
        func render(_ row: [String]) -> String {
            row.indices.map { column in
                let cell = row[column]
                return column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - displayWidth(cell))
            }.joined(separator: "  ")
        }
        var lines = [render(header)]
        lines.append(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  "))
        lines += rows.map(render)
        Console.writeOut(lines.joined(separator: "\n"))
    }

    static func displayWidth(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { width, scalar in
            // CJK, fullwidth forms and Hangul take two terminal columns.
            let wide = (0x1100...0x115F).contains(scalar.value) || (0x2E80...0xA4CF).contains(scalar.value)
                || (0xAC00...0xD7A3).contains(scalar.value) || (0xF900...0xFAFF).contains(scalar.value)
                || (0xFF00...0xFF60).contains(scalar.value) || (0xFFE0...0xFFE6).contains(scalar.value)
            return width + (wide ? 2 : 1)
        }
    }

    /// `2026-12-04 14:03:22 +0800`, in the local time zone (TZ).
    static func time(_ millis: UInt64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss Z"
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }

    /// Fen as yuan: `¥1,234.56`.
    static func yuan(_ fen: UInt64) -> String {
        let whole = String(fen / 100)
        var grouped = ""
        for (index, character) in whole.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { grouped.append(",") }
            grouped.append(character)
        }
        let cents = fen % 100
        return "¥" + String(grouped.reversed()) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    static func short(_ hex: String) -> String {
        hex.count > 16 ? String(hex.prefix(16)) + "…" : hex
    }
}
