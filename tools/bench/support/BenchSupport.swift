import Foundation

/// What every benchmark program prints and writes: an aligned table on
/// stdout and a JSON report, so figures read the same across tools.
public enum BenchOutput {
    /// "release" or "debug": a debug figure must never be quoted as a result.
    public static var build: String {
        #if DEBUG
        return "debug"
        #else
        return "release"
        #endif
    }

    /// A table whose first `textColumns` columns are left-aligned and the
    /// rest (numbers) right-aligned.
    public static func table(header: [String], rows: [[String]], textColumns: Int = 2) -> String {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0.indices.contains(column) ? $0[column].count : 0 }.max() ?? 0
        }
        func line(_ values: [String]) -> String {
            values.enumerated().map { index, value in
                let pad = String(repeating: " ", count: max(0, widths[index] - value.count))
                return index < textColumns ? value + pad : pad + value
            }.joined(separator: "  ")
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
            + rows.map(line)).joined(separator: "\n")
    }

    /// Writes `report` as sorted, pretty JSON, creating the folder.
    public static func write(_ report: some Encodable, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let url = URL(fileURLWithPath: path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try encoder.encode(report).write(to: url)
        print("\nwrote \(path)")
    }
}

extension Duration {
    public var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// What a benchmark reads from a devnet folder (`tools/devnet up`).
public enum BenchDevnet {
    public struct MissingAPI: Error, CustomStringConvertible {
        public let file: String
        public var description: String { "\(file) has no [api] listen address" }
    }

    /// The `http://host:port` of a node's API, from its node.toml's `[api] listen`.
    public static func apiAddress(_ nodeToml: String) throws -> String {
        let text = try String(contentsOfFile: nodeToml, encoding: .utf8)
        var inAPI = false
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("[") { inAPI = trimmed == "[api]" }
            if inAPI, trimmed.hasPrefix("listen"), let quote = trimmed.firstIndex(of: "\"") {
                return "http://" + trimmed[trimmed.index(after: quote)...].dropLast()
            }
        }
        throw MissingAPI(file: nodeToml)
    }
}
