import Synchronization
import Testing
@testable import LedgerStore
import LedgerTesting

@Suite("Store value types")
struct ValueTypeTests {
    @Test(arguments: ["default", "a", "blocks_by_height", "x0", String(repeating: "z", count: 64)])
    func validColumnFamilyNames(_ name: String) throws {
        #expect(try ColumnFamily(name).name == name)
    }

    @Test(arguments: ["", "Blocks", "with-dash", "space here", "dot.ted", "ünicode", String(repeating: "z", count: 65)])
    func invalidColumnFamilyNames(_ name: String) {
        #expect(throws: StoreError.invalidColumnFamilyName(name)) { try ColumnFamily(name) }
    }

    @Test
    func prefixRangeBounds() {
        #expect(KeyRange.prefix([0x61]) == KeyRange(from: [0x61], to: [0x62]))
        #expect(KeyRange.prefix([0x61, 0xFF]) == KeyRange(from: [0x61, 0xFF], to: [0x62]))
        #expect(KeyRange.prefix([0x61, 0xFF, 0xFF]) == KeyRange(from: [0x61, 0xFF, 0xFF], to: [0x62]))
        #expect(KeyRange.prefix([0xFF, 0xFF]) == KeyRange(from: [0xFF, 0xFF], to: nil))
        #expect(KeyRange.prefix([]) == KeyRange.all)
        #expect(KeyRange.prefix([0x00]) == KeyRange(from: [0x00], to: [0x01]))
    }

    @Test
    func remainingRangeStartsRightAfterTheLastKey() {
        let range = KeyRange(from: [0x10], to: [0x20])
        // Ascending: the next key is the last one plus a zero byte, its
        // immediate successor in bytewise order.
        let forward = range.remaining(after: [0x15], reverse: false)
        #expect(forward == KeyRange(from: [0x15, 0x00], to: [0x20]))
        #expect(!forward.contains([0x15]) && forward.contains([0x15, 0x00]))
        #expect(KeyRange.all.remaining(after: [0xFF], reverse: false) == KeyRange(from: [0xFF, 0x00]))
        // Descending: everything below the last key, which is excluded.
        let backward = range.remaining(after: [0x15], reverse: true)
        #expect(backward == KeyRange(from: [0x10], to: [0x15]))
        #expect(!backward.contains([0x15]) && backward.contains([0x14, 0xFF]))
        #expect(KeyRange.all.remaining(after: [], reverse: true).isEmpty)
    }

    /// The shorthand scans pass the store's own cap, not something smaller.
    @Test
    func shorthandScanUsesTheDefaultByteCap() throws {
        let reader = RecordingReader()
        _ = try reader.scan(.default, range: .all, limit: 7)
        _ = try reader.scan(.default, range: .all, limit: 8, reverse: true)
        #expect(reader.calls == [
            RecordingReader.Call(limit: 7, reverse: false, maxBytes: StoreLimits.maxScanBytes),
            RecordingReader.Call(limit: 8, reverse: true, maxBytes: StoreLimits.maxScanBytes),
        ])
    }

    @Test
    func rangeMembership() {
        let range = KeyRange(from: [0x10], to: [0x20])
        #expect(range.contains([0x10]))
        #expect(range.contains([0x1F, 0xFF, 0xFF]))
        #expect(!range.contains([0x20]))
        #expect(!range.contains([0x0F, 0xFF]))
        #expect(!range.isEmpty)
        #expect(KeyRange(from: [0x20], to: [0x20]).isEmpty)
        #expect(KeyRange.all.contains([]))
    }

    @Test
    func bytewiseOrderIsUnsignedWithPrefixesFirst() {
        #expect(compareBytes([], []) == 0)
        #expect(compareBytes([], [0x00]) < 0)
        #expect(compareBytes([0x7F], [0x80]) < 0)
        #expect(compareBytes([0x80], [0xFF]) < 0)
        #expect(compareBytes([0x01, 0xFF], [0x02]) < 0)
        #expect(compareBytes([0xFF], [0xFF, 0x00]) < 0)
        #expect(compareBytes([0xAB, 0xCD], [0xAB, 0xCD]) == 0)
    }

    @Test
    func batchCountsOperationsAndBytes() {
        var batch = WriteBatch()
        #expect(batch.isEmpty)
        batch.put([1, 2, 3], [4, 5])
        batch.delete([6])
        #expect(batch.count == 2)
        #expect(batch.byteCount == 6)
        #expect(batch.operations.last == .delete(key: [6], columnFamily: .default))
    }

    @Test
    func errorMessagesNameTheProblem() throws {
        let messages = [
            StoreError.open(path: "/data/db", reason: "locked").description,
            StoreError.io(reason: "disk full").description,
            StoreError.unknownColumnFamily("blocks").description,
            StoreError.invalidColumnFamilyName("Bad").description,
            StoreError.keyTooLarge(bytes: 5000).description,
            StoreError.valueTooLarge(bytes: 1).description,
            StoreError.batchTooLarge(operations: 2, bytes: 3).description,
            StoreError.invalidLimit(0).description,
            StoreError.closed.description,
            StoreError.invalidScanBytes(0).description,
        ]
        #expect(messages[0].contains("/data/db") && messages[0].contains("locked"))
        #expect(messages[2].contains("blocks"))
        #expect(messages[4].contains("5000") && messages[4].contains("4096"))
        #expect(messages[9].contains("0") && messages[9].contains("\(StoreLimits.maxScanBytes)"))
        #expect(messages.allSatisfy { !$0.isEmpty && !$0.contains("\n") })
    }
}

@Suite("PersistentSortedMap")
struct PersistentSortedMapTests {
    @Test(arguments: [UInt64(7), 99, 12_345])
    func staysBalancedAndOrderedUnderRandomEdits(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var map = PersistentSortedMap()
        var reference: [[UInt8]: [UInt8]] = [:]
        var versions: [(PersistentSortedMap, [[UInt8]: [UInt8]])] = []
        for step in 0..<4_000 {
            let key = [UInt8.random(in: 0...40, using: &random), UInt8.random(in: 0...3, using: &random)]
            if Int.random(in: 0..<3, using: &random) == 0 {
                map.remove(key)
                reference[key] = nil
            } else {
                map.set([UInt8(truncatingIfNeeded: step)], for: key)
                reference[key] = [UInt8(truncatingIfNeeded: step)]
            }
            if step % 500 == 0 { versions.append((map, reference)) }
        }
        expect(map, holds: reference, versions: versions)
    }

    /// `map` is balanced and holds exactly `reference`, in order, and every
    /// old version still holds what it held: later edits never reach it.
    func expect(
        _ map: PersistentSortedMap, holds reference: [[UInt8]: [UInt8]],
        versions: [(PersistentSortedMap, [[UInt8]: [UInt8]])]
    ) {
        #expect(map.checkInvariants())
        let all = map.entries(in: .all, limit: .max, reverse: false)
        #expect(all.map(\.key) == reference.keys.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(all.allSatisfy { reference[$0.key] == $0.value })
        for (version, frozen) in versions {
            #expect(version.checkInvariants())
            let entries = version.entries(in: .all, limit: .max, reverse: true)
            #expect(entries.count == frozen.count)
            #expect(entries.allSatisfy { frozen[$0.key] == $0.value })
        }
    }
}

extension PersistentSortedMapTests {
    /// Runs of every size, from one key to more than the tree holds, into
    /// trees of every size: the joins must leave the same entries as one key
    /// at a time, balanced, and every older version untouched.
    @Test(arguments: [UInt64(3), 41, 2_026])
    func ascendingRunsMatchKeyByKeyWrites(seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        var map = PersistentSortedMap()
        var reference: [[UInt8]: [UInt8]] = [:]
        var versions: [(PersistentSortedMap, [[UInt8]: [UInt8]])] = []
        for round in 0..<300 {
            let size = [0, 1, 2, 5, 40, 700][Int.random(in: 0..<6, using: &random)]
            let spread = UInt8.random(in: 1...255, using: &random)
            var keys = Set<[UInt8]>()
            for _ in 0..<size {
                keys.insert([UInt8.random(in: 0...spread, using: &random), UInt8.random(in: 0...7, using: &random)])
            }
            let run = keys.sorted { $0.lexicographicallyPrecedes($1) }
                .map { PersistentSortedMap.Entry(key: $0, value: [UInt8(truncatingIfNeeded: round)]) }
            map.set(ascending: run[...])
            for entry in run { reference[entry.key] = entry.value }
            // Removals keep the tree's shapes varied between runs.
            for _ in 0..<Int.random(in: 0...20, using: &random) {
                let key = [UInt8.random(in: 0...spread, using: &random), UInt8.random(in: 0...7, using: &random)]
                map.remove(key)
                reference[key] = nil
            }
            if round % 25 == 0 { versions.append((map, reference)) }
            if round % 10 == 0 { #expect(map.checkInvariants(), "unbalanced after round \(round)") }
        }
        expect(map, holds: reference, versions: versions)
    }
}

/// A reader that only records how it was asked to scan.
final class RecordingReader: KeyValueReader {
    struct Call: Equatable {
        let limit: Int
        let reverse: Bool
        let maxBytes: Int
    }

    private let recorded = Mutex<[Call]>([])

    var calls: [Call] { recorded.withLock { $0 } }

    func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StoreError) -> [UInt8]? { nil }

    func scan(
        _ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int
    ) throws(StoreError) -> [KeyValuePair] {
        recorded.withLock { $0.append(Call(limit: limit, reverse: reverse, maxBytes: maxBytes)) }
        return []
    }
}
