import LedgerCore
import LedgerState
import TOMLKit

/// Genesis descriptions in TOML (`Genesis/devnet.toml`); the format is
/// documented key by key in `Genesis/README.md`.
public enum GenesisFile {
    /// Genesis files are a few kilobytes; the cap keeps a wrong path (a log, a
    /// device) from being read whole.
    public static let maxFileSize = 1024 * 1024

    public static func parse(_ text: String, file: String) throws(GenesisError) -> GenesisSpec {
        try parsed(text, file: file).spec
    }

    public static func load(path: String) throws(GenesisError) -> GenesisSpec {
        let bytes = try BoundedFileRead.read(path: path, limit: maxFileSize)
        return try parse(try decodeUTF8(bytes, file: path), file: path)
    }

    /// Rewrites the `node_key` and `admin_key` values of the named bureaus and
    /// leaves every other byte as it was, comments included. The result is
    /// parsed again before it is returned, so it is never a broken file.
    public static func fillingKeys(
        _ text: String, file: String, keys: [BureauID: (node: PublicKeyBytes, admin: PublicKeyBytes)]
    ) throws(GenesisError) -> String {
        let (spec, layout) = try parsed(text, file: file)
        let known = Set(spec.bureaus.map(\.id))
        if let unknown = keys.keys.sorted().first(where: { !known.contains($0) }) {
            throw .unknownBureau(unknown, file: file)
        }
        var edits: [(range: Range<Int>, text: String)] = []
        for (index, bureau) in layout.bureauIDs.enumerated() {
            guard let id = bureau, let pair = keys[id], let table = layout.layout.arrayTable("bureau", index) else { continue }
            for (key, value) in [("node_key", pair.node), ("admin_key", pair.admin)] {
                guard let entry = layout.layout.entry(key, in: table), !entry.valueRange.isEmpty else {
                    let position = table.position
                    throw GenesisError.invalidValue(
                        key: key, reason: "cannot be rewritten here; write \(key) = \"\" inside the [[bureau]] table"
                    ).located(at: SourceLocation(file: file, line: position.line, column: position.column))
                }
                edits.append((entry.valueRange, "\"\(value.hex)\""))
            }
        }
        var bytes = Array(text.utf8)
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            bytes.replaceSubrange(edit.range, with: Array(edit.text.utf8))
        }
        let result = String(decoding: bytes, as: UTF8.self)
        _ = try parse(result, file: file)
        return result
    }

    /// The layout of a file, with the id of each `[[bureau]]` in file order.
    struct Located {
        var layout: TOMLLayout
        var bureauIDs: [BureauID?]
    }

    static func parsed(_ text: String, file: String) throws(GenesisError) -> (spec: GenesisSpec, layout: Located) {
        let size = text.utf8.count
        guard size <= maxFileSize else { throw .fileTooLarge(file: file, size: size, limit: maxFileSize) }
        try TOMLPreflight.check(text, file: file)
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let begin = error.source.begin
            throw .located(SourceLocation(file: file, line: begin.line, column: begin.column), .syntax(error.description))
        } catch {
            throw .located(SourceLocation(file: file, line: 1), .syntax(String(describing: error)))
        }
        let layout = TOMLLayout(text)
        let reader = SpecReader(file: file, layout: layout)
        let spec = try reader.spec(root)
        let ids = (root["bureau"]?.array ?? TOMLArray()).map { element in
            (element.table?["id"]?.string).flatMap { try? BureauID($0) }
        }
        return (spec, Located(layout: layout, bureauIDs: ids))
    }

    static func decodeUTF8(_ bytes: [UInt8], file: String) throws(GenesisError) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        // Find the first byte that breaks UTF-8, to point at it.
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while case let .scalarValue(scalar) = decoder.decode(&iterator) {
            offset += UTF8.width(scalar)
        }
        let position = TOMLLayout.position(of: offset, in: bytes)
        throw .located(SourceLocation(file: file, line: position.line, column: position.column), .syntax("not valid UTF-8"))
    }
}

/// The same guarded TOML reading for other files of the project (node
/// configuration): size cap, the pre-check that keeps toml++ away from input
/// it mishandles, and syntax errors located by file and line.
public enum GuardedTOML {
    public static let maxFileSize = 1024 * 1024

    public static func load(path: String) throws(GenesisError) -> TOMLTable {
        let bytes = try BoundedFileRead.read(path: path, limit: maxFileSize)
        return try parse(try GenesisFile.decodeUTF8(bytes, file: path), file: path)
    }

    public static func parse(_ text: String, file: String) throws(GenesisError) -> TOMLTable {
        let size = text.utf8.count
        guard size <= maxFileSize else { throw .fileTooLarge(file: file, size: size, limit: maxFileSize) }
        try TOMLPreflight.check(text, file: file)
        do {
            return try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            let begin = error.source.begin
            throw .located(SourceLocation(file: file, line: begin.line, column: begin.column), .syntax(error.description))
        } catch {
            throw .located(SourceLocation(file: file, line: 1), .syntax(String(describing: error)))
        }
    }
}
