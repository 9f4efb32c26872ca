import LedgerCore
import LedgerCrypto
import LedgerState
import TOMLKit

/// Reads a TOMLKit table tree into a `GenesisSpec`, naming the line of every problem.
struct SpecReader {
    let file: String
    let layout: TOMLLayout

    /// Which table of the file a value came from.
    enum Place {
        case root
        case item(array: String, index: Int)

        var name: String {
            switch self {
            case .root: return "the top level"
            case let .item(array, _): return "[[\(array)]]"
            }
        }
    }

    static let rootKeys = ["chain_id", "suite", "genesis_time", "checkpoint_interval", "bureau", "licence_type"]
    static let bureauKeys = [
        "id", "name_zh", "name_en", "node_key", "admin_key", "licence_types", "registers_offices",
        "registers_taxpayers", "registers_auditors",
    ]
    static let licenceTypeKeys = ["code", "name_zh", "name_en", "holder_kind"]

    // MARK: Locations

    private func table(_ place: Place) -> TOMLLayout.Table? {
        switch place {
        case .root: return layout.tables.first
        case let .item(array, index): return layout.arrayTable(array, index)
        }
    }

    /// Best known position: the key's line, else its table's header, else the
    /// root key holding an inline array of tables, else the first line.
    private func position(_ place: Place, key: String?, value: Bool) -> TOMLLayout.Position {
        if let table = table(place) {
            if let key, let entry = layout.entry(key, in: table) { return value ? entry.valuePosition : entry.position }
            return table.position
        }
        if case let .item(array, index) = place, let root = layout.tables.first, let entry = layout.entry(array, in: root) {
            return index < entry.elements.count ? entry.elements[index].position : entry.position
        }
        return .init(line: 1, column: 1)
    }

    func location(_ place: Place, key: String? = nil, value: Bool = false) -> SourceLocation {
        let position = position(place, key: key, value: value)
        return SourceLocation(file: file, line: position.line, column: position.column)
    }

    func fail(_ problem: GenesisError, _ place: Place, key: String? = nil, value: Bool = false) -> GenesisError {
        problem.located(at: location(place, key: key, value: value))
    }

    /// The position of element `index` of an array value, e.g. one licence code.
    func elementLocation(_ place: Place, key: String, index: Int) -> SourceLocation {
        guard let table = table(place), let entry = layout.entry(key, in: table), index < entry.elements.count else {
            return location(place, key: key, value: true)
        }
        let position = entry.elements[index].position
        return SourceLocation(file: file, line: position.line, column: position.column)
    }

    // MARK: Typed access

    /// Refuses keys the format does not define, first in source order, so a typo
    /// (`registers_office`) is an error rather than a silently default value.
    func checkKeys(_ table: TOMLTable, _ place: Place, allowed: [String]) throws(GenesisError) {
        let unknown = table.keys.filter { !allowed.contains($0) }
        let located = unknown.map { (key: $0, at: position(place, key: $0, value: false)) }
        if let first = located.min(by: { ($0.at.line, $0.at.column, $0.key) < ($1.at.line, $1.at.column, $1.key) }) {
            throw fail(.unknownKey(key: first.key, table: place.name), place, key: first.key)
        }
    }

    func required(_ table: TOMLTable, _ place: Place, _ key: String) throws(GenesisError) -> TOMLValueConvertible {
        guard let value = table[key] else { throw fail(.missingField(key: key, table: place.name), place) }
        return value
    }

    func string(_ table: TOMLTable, _ place: Place, _ key: String) throws(GenesisError) -> String {
        let value = try required(table, place, key)
        guard let text = value.string else { throw wrongType(value, place, key, expected: "a string") }
        return text
    }

    func bool(_ table: TOMLTable, _ place: Place, _ key: String) throws(GenesisError) -> Bool {
        let value = try required(table, place, key)
        guard let flag = value.bool else { throw wrongType(value, place, key, expected: "true or false") }
        return flag
    }

    func wrongType(_ value: TOMLValueConvertible, _ place: Place, _ key: String, expected: String) -> GenesisError {
        fail(.wrongType(key: key, expected: expected, found: Self.describe(value.type)), place, key: key)
    }

    static func describe(_ type: TOMLType) -> String {
        switch type {
        case .table: return "a table"
        case .array: return "an array"
        case .string: return "a string"
        case .int: return "an integer"
        case .double: return "a float"
        case .bool: return "a boolean"
        case .date: return "a local date"
        case .time: return "a local time"
        case .dateTime: return "a date-time"
        }
    }

    /// The tables of an array of tables such as `[[bureau]]`.
    func tables(_ root: TOMLTable, _ key: String) throws(GenesisError) -> [TOMLTable] {
        let value = try required(root, .root, key)
        let expected = "an array of tables ([[\(key)]])"
        guard let array = value.array else { throw wrongType(value, .root, key, expected: expected) }
        var out: [TOMLTable] = []
        for element in array {
            guard let table = element.table else { throw wrongType(element, .root, key, expected: expected) }
            out.append(table)
        }
        return out
    }
}

extension GenesisError {
    /// Attaches a location unless the error already has one.
    func located(at location: SourceLocation) -> GenesisError {
        if case .located = self { return self }
        return .located(location, self)
    }
}
