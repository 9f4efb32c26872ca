import Foundation
import Testing
@testable import LedgerStore

/// What only a store on disk can do: survive close, reopen with other
/// column family lists, and refuse bad paths.
@Suite("RocksDBStore")
struct RocksDBStoreTests {
    @Test
    func closeAndReopenKeepsData() throws {
        try withFixture(.rocksDB) { fixture in
            let blocks = try family("blocks")
            let first = try fixture.open([blocks])
            var batch = WriteBatch()
            batch.put(bytes("height"), bytes("7"))
            batch.put([0x00, 0xFF], [], in: blocks)
            try first.write(batch, sync: true)
            try first.put(bytes("unsynced"), bytes("still flushed by close"))
            first.close()

            let second = try fixture.open([blocks])
            #expect(try second.get(bytes("height"), in: .default) == bytes("7"))
            #expect(try second.get([0x00, 0xFF], in: blocks) == [])
            #expect(try second.get(bytes("unsynced"), in: .default) == bytes("still flushed by close"))
            #expect(try second.keys(blocks) == [[0x00, 0xFF]])
        }
    }

    @Test
    func reopenWithSupersetAndSubsetOfColumnFamilies() throws {
        try withFixture(.rocksDB) { fixture in
            let blocks = try family("blocks")
            let state = try family("state")
            let first = try fixture.open([blocks])
            try first.put(bytes("b"), bytes("block"), in: blocks)
            first.close()

            // Superset: the old family keeps its data, the new one starts empty.
            let second = try fixture.open([blocks, state])
            #expect(try second.get(bytes("b"), in: blocks) == bytes("block"))
            #expect(try second.keys(state).isEmpty)
            try second.put(bytes("s"), bytes("state"), in: state)
            second.close()
            #expect(try RocksDBStore.listColumnFamilies(path: fixture.databasePath).sorted() == ["blocks", "default", "state"])

            // Subset: undeclared families stay on disk but are unreachable.
            let third = try fixture.open([])
            #expect(third.columnFamilies == [.default])
            #expect(throws: StoreError.unknownColumnFamily("blocks")) { try third.get(bytes("b"), in: blocks) }
            try third.put(bytes("d"), bytes("default"))
            third.close()

            let fourth = try fixture.open([state, blocks])
            #expect(try fourth.get(bytes("b"), in: blocks) == bytes("block"))
            #expect(try fourth.get(bytes("s"), in: state) == bytes("state"))
            #expect(try fourth.get(bytes("d"), in: .default) == bytes("default"))
        }
    }

    @Test
    func droppingTheLastReferenceClosesTheDatabase() throws {
        try withFixture(.rocksDB) { fixture in
            do {
                let store = try RocksDBStore(path: fixture.databasePath, columnFamilies: [])
                try store.put(bytes("k"), bytes("v"))
                _ = try store.snapshot()
            }
            // The file lock is gone, or this open would fail.
            let reopened = try fixture.open()
            #expect(try reopened.get(bytes("k"), in: .default) == bytes("v"))
        }
    }

    @Test
    func secondOpenOfTheSameDirectoryIsRefused() throws {
        try withFixture(.rocksDB) { fixture in
            _ = try fixture.open()
            let error = #expect(throws: StoreError.self) {
                try RocksDBStore(path: fixture.databasePath, columnFamilies: [])
            }
            guard case let .open(path, reason) = error else {
                Issue.record("expected .open, got \(String(describing: error))")
                return
            }
            #expect(path == fixture.databasePath)
            #expect(!reason.isEmpty)
        }
    }

    @Test
    func missingDatabaseIsNotCreatedWhenAskedNotTo() throws {
        try withFixture(.rocksDB) { fixture in
            let error = #expect(throws: StoreError.self) {
                try RocksDBStore(
                    path: fixture.databasePath, columnFamilies: [],
                    options: .init(createIfMissing: false))
            }
            guard case .open = error else {
                Issue.record("expected .open, got \(String(describing: error))")
                return
            }
            #expect(!FileManager.default.fileExists(atPath: fixture.databasePath))
            #expect(throws: StoreError.self) { try RocksDBStore.listColumnFamilies(path: fixture.databasePath) }
        }
    }

    @Test
    func missingColumnFamilyIsNotCreatedWhenAskedNotTo() throws {
        try withFixture(.rocksDB) { fixture in
            try fixture.createDatabaseWithDefaultFamilyOnly()
            let error = #expect(throws: StoreError.self) {
                try RocksDBStore(
                    path: fixture.databasePath, columnFamilies: [try family("later")],
                    options: .init(createMissingColumnFamilies: false))
            }
            guard case .open = error else {
                Issue.record("expected .open, got \(String(describing: error))")
                return
            }
            let families = try RocksDBStore.listColumnFamilies(path: fixture.databasePath)
            #expect(families == ["default"])
        }
    }

    /// With createIfMissing, only an absent database may be created; any
    /// other reason RocksDB cannot list the column families is reported as
    /// RocksDB stated it, and nothing is written.
    @Test
    func pathThatIsAFileIsRefusedWithRocksDBsReason() throws {
        try withFixture(.rocksDB) { fixture in
            let file = fixture.directory.appendingPathComponent("plain-file").path
            #expect(FileManager.default.createFile(atPath: file, contents: Data("x".utf8)))
            let listing = try #require(Self.listingError(file))
            #expect(throws: listing) { try RocksDBStore(path: file, columnFamilies: []) }
            #expect(FileManager.default.contents(atPath: file) == Data("x".utf8))
            #expect(throws: StoreError.open(path: "", reason: "the path is empty")) {
                try RocksDBStore(path: "", columnFamilies: [])
            }
        }
    }

    @Test
    func corruptCurrentFileIsReportedNotRecreated() throws {
        try withFixture(.rocksDB) { fixture in
            let database = fixture.databasePath
            try FileManager.default.createDirectory(atPath: database, withIntermediateDirectories: false)
            let current = database + "/CURRENT"
            #expect(FileManager.default.createFile(atPath: current, contents: Data("garbage".utf8)))
            let listing = try #require(Self.listingError(database))
            guard case let .open(path, reason) = listing else {
                Issue.record("expected .open, got \(listing)")
                return
            }
            #expect(path == database)
            #expect(reason.contains("CURRENT"), "\(reason)")

            let error = #expect(throws: StoreError.self) {
                try RocksDBStore(path: database, columnFamilies: [try family("blocks")])
            }
            #expect(error == listing)
            // Nothing was created next to the damaged file.
            #expect(try FileManager.default.contentsOfDirectory(atPath: database) == ["CURRENT"])
            #expect(FileManager.default.contents(atPath: current) == Data("garbage".utf8))
        }
    }

    @Test
    func emptyDirectoryCountsAsNoDatabaseYet() throws {
        try withFixture(.rocksDB) { fixture in
            try FileManager.default.createDirectory(atPath: fixture.databasePath, withIntermediateDirectories: false)
            let store = try fixture.open([try family("blocks")])
            try store.put(bytes("k"), bytes("v"))
            #expect(try store.get(bytes("k"), in: .default) == bytes("v"))
        }
    }

    @Test
    func snapshotKeepsItsViewAcrossManyWrites() throws {
        try withFixture(.rocksDB) { fixture in
            let store = try fixture.open()
            for index in 0..<100 {
                try store.put(bytes(String(format: "k%03d", index)), bytes("v1"))
            }
            let snapshot = try store.snapshot()
            defer { snapshot.close() }
            var batch = WriteBatch()
            for index in 0..<100 {
                batch.put(bytes(String(format: "k%03d", index)), bytes("v2"))
            }
            try store.write(batch, sync: true)
            let seen = try snapshot.scan(.default, range: .prefix(bytes("k")), limit: 1_000)
            #expect(seen.count == 100)
            #expect(seen.allSatisfy { $0.value == bytes("v1") })
            #expect(try store.scan(.default, range: .all, limit: 1_000).allSatisfy { $0.value == bytes("v2") })
        }
    }
}

extension RocksDBStoreTests {
    /// What RocksDB says when asked for the column families at `path`.
    static func listingError(_ path: String) -> StoreError? {
        do {
            _ = try RocksDBStore.listColumnFamilies(path: path)
            return nil
        } catch {
            return error
        }
    }
}

extension StoreFixture {
    func createDatabaseWithDefaultFamilyOnly() throws {
        try RocksDBStore(path: databasePath, columnFamilies: []).close()
    }
}

/// A rarely written column family must not pin every write-ahead log since
/// start (seen on devnet nodes: 391 MiB of logs beside 58 MiB of tables).
@Suite struct WriteAheadLogBoundTests {
    func logBytes(in directory: String) throws -> Int {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".log") && $0 != "LOG" }
            .reduce(0) { total, name in
                // A log RocksDB deletes between the listing and this look is gone: it counts nothing.
                let attributes = try? FileManager.default.attributesOfItem(atPath: directory + "/" + name)
                return total + (attributes?[.size] as? Int ?? 0)
            }
    }

    @Test func logsStayNearTheBoundWhenOneFamilyIsRarelyWritten() async throws {
        let fixture = try StoreFixture(backend: .rocksDB)
        defer { fixture.tearDown() }
        let rare = try family("rare"), busy = try family("busy")
        let bound: UInt64 = 1 << 20
        let store = try RocksDBStore(
            path: fixture.databasePath, columnFamilies: [rare, busy], options: .init(maxTotalWALBytes: bound))
        defer { store.close() }
        var first = WriteBatch()
        first.put(bytes("once"), bytes("only"), in: rare)
        try store.write(first, sync: true)
        // 8 MiB into the busy family: far below its write buffer, so without
        // the bound nothing would flush and every log would stay.
        let value = [UInt8](repeating: 0xAB, count: 8 << 10)
        for round in 0..<16 {
            var batch = WriteBatch()
            for n in 0..<64 { batch.put(bytes("k\(round)-\(n)"), value, in: busy) }
            try store.write(batch, sync: false)
        }
        // The bound is checked at each write: past it, RocksDB switches logs
        // and flushes the families holding the oldest one, unless that flush
        // is already under way. Flushes run on a thread pool every store in
        // the process shares, so under a parallel test run they lag the writes
        // and logs pile up until later writes ask again, as a node's steady
        // writes do. Keep writing a little while waiting; the limit bounds a
        // hang, it times nothing.
        var logs = try logBytes(in: fixture.databasePath)
        for tick in 0..<400 where logs > 4 * Int(bound) {
            var batch = WriteBatch()
            batch.put(bytes("tick-\(tick)"), value, in: busy)
            try store.write(batch, sync: false)
            try await Task.sleep(for: .milliseconds(50))
            logs = try logBytes(in: fixture.databasePath)
        }
        #expect(logs <= 4 * Int(bound), "write-ahead logs hold \(logs) bytes")
        #expect(try store.get(bytes("once"), in: rare) == bytes("only"))
        #expect(try store.get(bytes("k15-63"), in: busy) == value)
    }
}

/// The read-path settings (block cache, bloom filters, block hash index)
/// change how tables are written and read, never what they hold: a database
/// written under one set reads the same under the other, both ways, so a node
/// upgraded in place keeps its data.
@Suite struct ReadPathTuningTests {
    static let untuned = RocksDBStore.Options(blockCacheBytes: 0, bloomBitsPerKey: 0)
    static let tuned = RocksDBStore.Options()

    /// Enough keys that reopening flushes them into table files, where the
    /// filters and the hash index live.
    func fill(_ store: RocksDBStore, _ family: ColumnFamily, prefix: String) throws {
        for round in 0..<8 {
            var batch = WriteBatch()
            for n in 0..<500 { batch.put(bytes("\(prefix)\(round * 500 + n)"), bytes("value \(prefix)\(round * 500 + n)"), in: family) }
            try store.write(batch, sync: false)
        }
    }

    func expectHolds(_ store: RocksDBStore, _ family: ColumnFamily, prefixes: [String]) throws {
        for prefix in prefixes {
            for n in stride(from: 0, to: 4_000, by: 7) {
                #expect(try store.get(bytes("\(prefix)\(n)"), in: family) == bytes("value \(prefix)\(n)"))
                // Absent keys next to present ones: a filter may only ever say "maybe".
                #expect(try store.get(bytes("\(prefix)\(n)x"), in: family) == nil)
            }
        }
        let all = try store.scan(family, range: .all, limit: 10_000, reverse: false, maxBytes: 1 << 20)
        #expect(all.count == 4_000 * prefixes.count)
        #expect(all.map(\.key) == all.map(\.key).sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func dataWrittenUnderEitherSettingsReadsTheSameUnderTheOther() throws {
        let fixture = try StoreFixture(backend: .rocksDB)
        defer { fixture.tearDown() }
        let records = try family("records")

        let first = try RocksDBStore(path: fixture.databasePath, columnFamilies: [records], options: Self.untuned)
        try fill(first, records, prefix: "a")
        first.close()

        let second = try RocksDBStore(path: fixture.databasePath, columnFamilies: [records], options: Self.tuned)
        let tables = try FileManager.default.contentsOfDirectory(atPath: fixture.databasePath).filter { $0.hasSuffix(".sst") }
        #expect(!tables.isEmpty, "the reopen was to flush the first keys into table files")
        try expectHolds(second, records, prefixes: ["a"])
        try fill(second, records, prefix: "b")
        second.close()

        let third = try RocksDBStore(path: fixture.databasePath, columnFamilies: [records], options: Self.untuned)
        try expectHolds(third, records, prefixes: ["a", "b"])
        third.close()

        let fourth = try RocksDBStore(path: fixture.databasePath, columnFamilies: [records], options: Self.tuned)
        try expectHolds(fourth, records, prefixes: ["a", "b"])
        fourth.close()
    }
}
