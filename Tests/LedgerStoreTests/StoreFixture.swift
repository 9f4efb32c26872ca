import Foundation
import Testing
@testable import LedgerStore

/// The two implementations every conformance test runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case rocksDB

    var testDescription: String { rawValue }
}

/// Opens stores of one backend in a private temporary directory and cleans up
/// after the test, whatever it did.
final class StoreFixture {
    let backend: Backend
    let directory: URL
    private var opened: [any KeyValueStore] = []

    init(backend: Backend) throws {
        self.backend = backend
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("civicledger-store-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var databasePath: String { directory.appendingPathComponent("db").path }

    /// A new store; for RocksDB, a (re)open of the same database directory.
    func open(_ families: [ColumnFamily] = []) throws -> any KeyValueStore {
        let store: any KeyValueStore
        switch backend {
        case .memory:
            store = InMemoryStore(columnFamilies: families)
        case .rocksDB:
            store = try RocksDBStore(path: databasePath, columnFamilies: families)
        }
        opened.append(store)
        return store
    }

    func tearDown() {
        for store in opened {
            store.close()
        }
        opened = []
        try? FileManager.default.removeItem(at: directory)
    }
}

func withFixture(_ backend: Backend, _ body: (StoreFixture) throws -> Void) throws {
    let fixture = try StoreFixture(backend: backend)
    defer { fixture.tearDown() }
    try body(fixture)
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func family(_ name: String) throws -> ColumnFamily { try ColumnFamily(name) }

extension KeyValueStore {
    func put(_ key: [UInt8], _ value: [UInt8], in family: ColumnFamily = .default) throws {
        var batch = WriteBatch()
        batch.put(key, value, in: family)
        try write(batch, sync: false)
    }

    func delete(_ key: [UInt8], in family: ColumnFamily = .default) throws {
        var batch = WriteBatch()
        batch.delete(key, in: family)
        try write(batch, sync: false)
    }
}

extension KeyValueReader {
    func keys(_ family: ColumnFamily = .default, range: KeyRange = .all, limit: Int = 1_000, reverse: Bool = false) throws -> [[UInt8]] {
        try scan(family, range: range, limit: limit, reverse: reverse).map(\.key)
    }
}
