import Foundation
import Synchronization
import Testing
@testable import LedgerStore

/// The `KeyValueStore` contract, written once and run on every backend.
@Suite("KeyValueStore conformance")
struct ConformanceTests {
    @Test(arguments: Backend.allCases)
    func getOfMissingKeyIsNil(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            #expect(try store.get(bytes("absent"), in: .default) == nil)
            #expect(try store.get([], in: .default) == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func putThenGet(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            try store.put(bytes("alpha"), bytes("one"))
            try store.put([0x00, 0xFF], [0xFF, 0x00, 0x80])
            // An empty value is present, not absent; an empty key is a key.
            try store.put(bytes("empty"), [])
            try store.put([], bytes("empty key"))
            #expect(try store.get(bytes("alpha"), in: .default) == bytes("one"))
            #expect(try store.get([0x00, 0xFF], in: .default) == [0xFF, 0x00, 0x80])
            #expect(try store.get(bytes("empty"), in: .default) == [])
            #expect(try store.get([], in: .default) == bytes("empty key"))
            try store.put(bytes("alpha"), bytes("two"))
            #expect(try store.get(bytes("alpha"), in: .default) == bytes("two"))
        }
    }

    @Test(arguments: Backend.allCases)
    func deleteRemovesOnlyThatKey(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            try store.put(bytes("a"), bytes("1"))
            try store.put(bytes("b"), bytes("2"))
            try store.delete(bytes("a"))
            try store.delete(bytes("never-written"))
            #expect(try store.get(bytes("a"), in: .default) == nil)
            #expect(try store.get(bytes("b"), in: .default) == bytes("2"))
            #expect(try store.keys() == [bytes("b")])
        }
    }

    @Test(arguments: Backend.allCases)
    func laterOperationsInABatchWin(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            try store.put(bytes("c"), bytes("old"))
            var batch = WriteBatch()
            batch.put(bytes("a"), bytes("1"))
            batch.put(bytes("a"), bytes("2"))
            batch.delete(bytes("b"))
            batch.put(bytes("b"), bytes("3"))
            batch.put(bytes("c"), bytes("new"))
            batch.delete(bytes("c"))
            batch.delete(bytes("d"))
            batch.put(bytes("d"), bytes("4"))
            batch.delete(bytes("d"))
            try store.write(batch, sync: true)
            #expect(try store.get(bytes("a"), in: .default) == bytes("2"))
            #expect(try store.get(bytes("b"), in: .default) == bytes("3"))
            #expect(try store.get(bytes("c"), in: .default) == nil)
            #expect(try store.get(bytes("d"), in: .default) == nil)
            #expect(try store.keys() == [bytes("a"), bytes("b")])
        }
    }

    @Test(arguments: Backend.allCases)
    func refusedBatchLeavesNoTrace(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let ledger = try family("ledger")
            let store = try fixture.open([ledger])
            try store.put(bytes("kept"), bytes("before"))

            var oversizedKey = WriteBatch()
            oversizedKey.put(bytes("kept"), bytes("after"))
            oversizedKey.put(bytes("x"), bytes("1"), in: ledger)
            oversizedKey.put([UInt8](repeating: 7, count: StoreLimits.maxKeyBytes + 1), bytes("v"))
            #expect(throws: StoreError.keyTooLarge(bytes: StoreLimits.maxKeyBytes + 1)) {
                try store.write(oversizedKey, sync: false)
            }

            var unknownFamily = WriteBatch()
            unknownFamily.put(bytes("kept"), bytes("after"))
            unknownFamily.delete(bytes("kept"), in: try family("undeclared"))
            #expect(throws: StoreError.unknownColumnFamily("undeclared")) {
                try store.write(unknownFamily, sync: true)
            }

            #expect(try store.get(bytes("kept"), in: .default) == bytes("before"))
            #expect(try store.get(bytes("x"), in: ledger) == nil)
            #expect(try store.keys() == [bytes("kept")])
        }
    }

    @Test(arguments: Backend.allCases)
    func emptyBatchIsAccepted(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            try store.write(WriteBatch(), sync: true)
            try store.write(WriteBatch(), sync: false)
            #expect(try store.keys().isEmpty)
        }
    }

    @Test(arguments: Backend.allCases)
    func columnFamiliesAreIsolated(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let blocks = try family("blocks")
            let state = try family("state")
            let store = try fixture.open([blocks, state])
            #expect(store.columnFamilies == [.default, blocks, state])

            var batch = WriteBatch()
            batch.put(bytes("k"), bytes("in default"))
            batch.put(bytes("k"), bytes("in blocks"), in: blocks)
            batch.put(bytes("only-state"), bytes("s"), in: state)
            try store.write(batch, sync: false)

            #expect(try store.get(bytes("k"), in: .default) == bytes("in default"))
            #expect(try store.get(bytes("k"), in: blocks) == bytes("in blocks"))
            #expect(try store.get(bytes("k"), in: state) == nil)
            #expect(try store.get(bytes("only-state"), in: .default) == nil)

            try store.delete(bytes("k"), in: blocks)
            #expect(try store.get(bytes("k"), in: .default) == bytes("in default"))
            #expect(try store.keys(blocks).isEmpty)
            #expect(try store.keys(state) == [bytes("only-state")])
        }
    }

    @Test(arguments: Backend.allCases)
    func unknownColumnFamilyIsRefused(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open([try family("declared")])
            let other = try family("other")
            let unknown = StoreError.unknownColumnFamily("other")
            #expect(throws: unknown) { try store.get(bytes("k"), in: other) }
            #expect(throws: unknown) { try store.scan(other, range: .all, limit: 10) }
            #expect(throws: unknown) { try store.put(bytes("k"), bytes("v"), in: other) }
            #expect(throws: unknown) { try store.delete(bytes("k"), in: other) }
            let snapshot = try store.snapshot()
            defer { snapshot.close() }
            #expect(throws: unknown) { try snapshot.get(bytes("k"), in: other) }
            #expect(throws: unknown) { try snapshot.scan(other, range: .all, limit: 10) }
        }
    }

    /// Keys chosen to catch signed-byte and length-first orderings.
    static let awkwardKeys: [[UInt8]] = [
        [], [0x00], [0x00, 0x00], [0x00, 0xFF], [0x01], [0x7F], [0x7F, 0xFF], [0x80], [0x80, 0x00],
        [0xFE, 0xFF, 0xFF], [0xFF], [0xFF, 0x00], [0xFF, 0xFF], [0xFF, 0xFF, 0xFF],
    ]

    @Test(arguments: Backend.allCases)
    func scanIsBytewiseOrdered(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            var batch = WriteBatch()
            for key in Self.awkwardKeys.shuffled() {
                batch.put(key, key + [0xAA])
            }
            try store.write(batch, sync: false)

            let all = try store.scan(.default, range: .all, limit: 100)
            #expect(all.map(\.key) == Self.awkwardKeys)
            #expect(all.allSatisfy { $0.value == $0.key + [0xAA] })
            #expect(try store.keys(reverse: true) == Self.awkwardKeys.reversed())
        }
    }

    @Test(arguments: Backend.allCases)
    func scanHonoursBoundsPrefixAndLimit(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            var batch = WriteBatch()
            for key in Self.awkwardKeys {
                batch.put(key, [0x01])
            }
            try store.write(batch, sync: false)

            // Lower bound included, upper excluded, in both directions.
            let middle = KeyRange(from: [0x00, 0xFF], to: [0x80, 0x00])
            let inMiddle: [[UInt8]] = [[0x00, 0xFF], [0x01], [0x7F], [0x7F, 0xFF], [0x80]]
            #expect(try store.keys(range: middle) == inMiddle)
            #expect(try store.keys(range: middle, reverse: true) == inMiddle.reversed())

            // Bounds that are not themselves keys.
            let between = KeyRange(from: [0x02], to: [0x80, 0x00, 0x00])
            #expect(try store.keys(range: between) == [[0x7F], [0x7F, 0xFF], [0x80], [0x80, 0x00]])
            #expect(try store.keys(range: between, reverse: true) == [[0x80, 0x00], [0x80], [0x7F, 0xFF], [0x7F]])

            // Limit takes from the start of travel.
            #expect(try store.keys(range: middle, limit: 2) == [[0x00, 0xFF], [0x01]])
            #expect(try store.keys(range: middle, limit: 2, reverse: true) == [[0x80], [0x7F, 0xFF]])
            #expect(try store.keys(limit: 1) == [[]])
            #expect(try store.keys(limit: 1, reverse: true) == [[0xFF, 0xFF, 0xFF]])

            // Prefixes, including ones whose successor needs a carry or does not exist.
            #expect(try store.keys(range: .prefix([0x00])) == [[0x00], [0x00, 0x00], [0x00, 0xFF]])
            #expect(try store.keys(range: .prefix([0x7F])) == [[0x7F], [0x7F, 0xFF]])
            #expect(try store.keys(range: .prefix([0xFF])) == [[0xFF], [0xFF, 0x00], [0xFF, 0xFF], [0xFF, 0xFF, 0xFF]])
            #expect(try store.keys(range: .prefix([0xFF, 0xFF])) == [[0xFF, 0xFF], [0xFF, 0xFF, 0xFF]])
            #expect(try store.keys(range: .prefix([0xFF]), reverse: true) == [[0xFF, 0xFF, 0xFF], [0xFF, 0xFF], [0xFF, 0x00], [0xFF]])
            #expect(try store.keys(range: .prefix([0xFE])) == [[0xFE, 0xFF, 0xFF]])
            #expect(try store.keys(range: .prefix([0x42])).isEmpty)
            #expect(try store.keys(range: .prefix([])) == Self.awkwardKeys)

            // Empty and inverted ranges yield nothing.
            #expect(try store.keys(range: KeyRange(from: [0x7F], to: [0x7F])).isEmpty)
            #expect(try store.keys(range: KeyRange(from: [0x80], to: [0x01])).isEmpty)
            #expect(try store.keys(range: KeyRange(from: [0x80], to: [0x01]), reverse: true).isEmpty)
            #expect(try store.keys(range: KeyRange(from: [], to: [])).isEmpty)
            // An upper bound of [0x00] admits only the empty key.
            #expect(try store.keys(range: KeyRange(to: [0x00]), reverse: true) == [[]])
        }
    }

    @Test(arguments: Backend.allCases)
    func scanSkipsDeletedKeys(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            var batch = WriteBatch()
            for index in 0..<50 {
                batch.put([UInt8(index)], [UInt8(index)])
            }
            try store.write(batch, sync: false)
            var deletes = WriteBatch()
            for index in stride(from: 0, to: 50, by: 2) {
                deletes.delete([UInt8(index)])
            }
            try store.write(deletes, sync: false)
            let odd = stride(from: 1, to: 50, by: 2).map { [UInt8($0)] }
            #expect(try store.keys() == odd)
            #expect(try store.keys(reverse: true) == odd.reversed())
            #expect(try store.keys(range: KeyRange(from: [10], to: [20]), limit: 3) == [[11], [13], [15]])
            #expect(try store.keys(range: KeyRange(from: [10], to: [20]), limit: 3, reverse: true) == [[19], [17], [15]])
        }
    }

    @Test(arguments: Backend.allCases)
    func snapshotIgnoresLaterWrites(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let side = try family("side")
            let store = try fixture.open([side])
            try store.put(bytes("a"), bytes("1"))
            try store.put(bytes("b"), bytes("2"))
            try store.put(bytes("s"), bytes("side"), in: side)

            let snapshot = try store.snapshot()
            defer { snapshot.close() }

            var batch = WriteBatch()
            batch.put(bytes("a"), bytes("changed"))
            batch.delete(bytes("b"))
            batch.put(bytes("c"), bytes("new"))
            batch.delete(bytes("s"), in: side)
            try store.write(batch, sync: false)

            #expect(try snapshot.get(bytes("a"), in: .default) == bytes("1"))
            #expect(try snapshot.get(bytes("b"), in: .default) == bytes("2"))
            #expect(try snapshot.get(bytes("c"), in: .default) == nil)
            #expect(try snapshot.get(bytes("s"), in: side) == bytes("side"))
            #expect(try snapshot.keys() == [bytes("a"), bytes("b")])
            #expect(try snapshot.keys(reverse: true) == [bytes("b"), bytes("a")])
            #expect(try snapshot.keys(side) == [bytes("s")])

            #expect(try store.get(bytes("a"), in: .default) == bytes("changed"))
            #expect(try store.keys() == [bytes("a"), bytes("c")])
            #expect(try store.keys(side).isEmpty)

            // A second snapshot sees the new state; the first is unchanged.
            let later = try store.snapshot()
            #expect(try later.keys() == [bytes("a"), bytes("c")])
            later.close()
            #expect(try snapshot.keys() == [bytes("a"), bytes("b")])
        }
    }

    @Test(arguments: Backend.allCases)
    func closedSnapshotRefusesReads(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            try store.put(bytes("a"), bytes("1"))
            let snapshot = try store.snapshot()
            snapshot.close()
            snapshot.close()
            #expect(throws: StoreError.closed) { try snapshot.get(bytes("a"), in: .default) }
            #expect(throws: StoreError.closed) { try snapshot.scan(.default, range: .all, limit: 1) }
            // The store itself is unaffected.
            #expect(try store.get(bytes("a"), in: .default) == bytes("1"))
        }
    }

    @Test(arguments: Backend.allCases)
    func oversizedInputsAreRefused(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            let longestKey = [UInt8](repeating: 0x41, count: StoreLimits.maxKeyBytes)
            let tooLongKey = longestKey + [0x41]
            try store.put(longestKey, bytes("fits"))
            #expect(try store.get(longestKey, in: .default) == bytes("fits"))

            #expect(throws: StoreError.keyTooLarge(bytes: tooLongKey.count)) {
                try store.put(tooLongKey, bytes("v"))
            }
            #expect(throws: StoreError.keyTooLarge(bytes: tooLongKey.count)) {
                try store.delete(tooLongKey)
            }
            #expect(throws: StoreError.keyTooLarge(bytes: tooLongKey.count)) {
                try store.get(tooLongKey, in: .default)
            }
            let tooLongValue = [UInt8](repeating: 0, count: StoreLimits.maxValueBytes + 1)
            #expect(throws: StoreError.valueTooLarge(bytes: tooLongValue.count)) {
                try store.put(bytes("k"), tooLongValue)
            }
            #expect(try store.get(bytes("k"), in: .default) == nil)
        }
    }

    @Test(arguments: Backend.allCases)
    func batchOverTheOperationCapIsRefused(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            var batch = WriteBatch()
            for _ in 0...StoreLimits.maxBatchOperations {
                batch.delete([])
            }
            #expect(throws: StoreError.batchTooLarge(operations: StoreLimits.maxBatchOperations + 1, bytes: 0)) {
                try store.write(batch, sync: false)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func scanLimitMustBeInRange(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            for limit in [0, -1, Int.min, StoreLimits.maxScanLimit + 1, Int.max] {
                #expect(throws: StoreError.invalidLimit(limit)) {
                    try store.scan(.default, range: .all, limit: limit)
                }
            }
            #expect(try store.scan(.default, range: .all, limit: StoreLimits.maxScanLimit).isEmpty)
            // The limit is checked before the column family.
            #expect(throws: StoreError.invalidLimit(0)) {
                try store.scan(try family("nope"), range: .all, limit: 0)
            }
        }
    }

    /// Ten entries of exactly 10 bytes each: key "k0".."k9", an 8-byte value.
    static func writeTenByteEntries(_ store: any KeyValueStore) throws {
        var batch = WriteBatch()
        for index in 0..<10 {
            batch.put(bytes("k\(index)"), [UInt8](repeating: UInt8(index), count: 8))
        }
        try store.write(batch, sync: false)
    }

    @Test(arguments: Backend.allCases)
    func scanStopsAtTheByteCap(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            try Self.writeTenByteEntries(store)
            let snapshot = try store.snapshot()
            defer { snapshot.close() }
            let first = (0..<10).map { bytes("k\($0)") }
            for reader in [store as any KeyValueReader, snapshot] {
                func keys(maxBytes: Int, limit: Int = 100, reverse: Bool = false) throws -> [[UInt8]] {
                    try reader.scan(.default, range: .all, limit: limit, reverse: reverse, maxBytes: maxBytes).map(\.key)
                }
                // The entry that reaches the cap is the last one returned.
                #expect(try keys(maxBytes: 25) == Array(first[0..<3]))
                #expect(try keys(maxBytes: 30) == Array(first[0..<3]))
                #expect(try keys(maxBytes: 31) == Array(first[0..<4]))
                #expect(try keys(maxBytes: 25, reverse: true) == Array(first[7..<10].reversed()))
                // At least one entry, however small the cap.
                #expect(try keys(maxBytes: 1) == [first[0]])
                #expect(try keys(maxBytes: 1, reverse: true) == [first[9]])
                // Whichever bound comes first wins.
                #expect(try keys(maxBytes: 95, limit: 2) == Array(first[0..<2]))
                #expect(try keys(maxBytes: 100) == first)
                #expect(try keys(maxBytes: StoreLimits.maxScanBytes) == first)
                // The default is StoreLimits.maxScanBytes.
                #expect(try reader.scan(.default, range: .all, limit: 100).map(\.key) == first)
                // A range with nothing in it is still empty.
                #expect(try reader.scan(.default, range: .prefix(bytes("x")), limit: 5, reverse: false, maxBytes: 1).isEmpty)
            }

            // One entry larger than the cap is returned whole, on its own.
            let large = [UInt8](repeating: 0xEE, count: 1_000)
            try store.put(bytes("j"), large)
            let page = try store.scan(.default, range: .all, limit: 100, reverse: false, maxBytes: 500)
            #expect(page == [KeyValuePair(key: bytes("j"), value: large)])
        }
    }

    @Test(arguments: Backend.allCases)
    func scanByteCapMustBeInRange(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            let snapshot = try store.snapshot()
            defer { snapshot.close() }
            for reader in [store as any KeyValueReader, snapshot] {
                for maxBytes in [0, -1, Int.min, StoreLimits.maxScanBytes + 1, Int.max] {
                    #expect(throws: StoreError.invalidScanBytes(maxBytes)) {
                        try reader.scan(.default, range: .all, limit: 1, reverse: false, maxBytes: maxBytes)
                    }
                }
                // Checked after the limit, before the column family.
                #expect(throws: StoreError.invalidLimit(0)) {
                    try reader.scan(.default, range: .all, limit: 0, reverse: false, maxBytes: 0)
                }
                #expect(throws: StoreError.invalidScanBytes(0)) {
                    try reader.scan(try family("nope"), range: .all, limit: 1, reverse: false, maxBytes: 0)
                }
            }
        }
    }

    /// The documented way to read more than one page: continue after the
    /// last key until a page is short on both entries and bytes.
    @Test(arguments: Backend.allCases, [false, true])
    func pagingByLastKeyReadsEveryEntryOnce(_ backend: Backend, reverse: Bool) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            var batch = WriteBatch()
            for (index, key) in Self.awkwardKeys.enumerated() {
                batch.put(key, [UInt8](repeating: 0x5A, count: index % 4 * 3))
            }
            try store.write(batch, sync: false)
            let everything = try store.scan(.default, range: .all, limit: 100, reverse: reverse)
            #expect(everything.count == Self.awkwardKeys.count)

            for (limit, maxBytes) in [(3, 1_000), (100, 1), (100, 7), (4, 9)] {
                var collected: [KeyValuePair] = []
                var range = KeyRange.all
                var pages = 0
                while true {
                    let page = try store.scan(.default, range: range, limit: limit, reverse: reverse, maxBytes: maxBytes)
                    pages += 1
                    collected += page
                    let pageBytes = page.reduce(0) { $0 + $1.key.count + $1.value.count }
                    guard let last = page.last, page.count == limit || pageBytes >= maxBytes else { break }
                    range = range.remaining(after: last.key, reverse: reverse)
                    guard pages <= everything.count + 1 else {
                        Issue.record("paging does not end (limit \(limit), maxBytes \(maxBytes))")
                        return
                    }
                }
                #expect(collected == everything, "limit \(limit) maxBytes \(maxBytes)")
                // A page short on both counts really was the end.
                let lastKey = try #require(collected.last).key
                #expect(try store.keys(range: range.remaining(after: lastKey, reverse: reverse), reverse: reverse).isEmpty)
            }
        }
    }

    @Test(arguments: Backend.allCases)
    func everyCallAfterCloseThrowsClosed(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let store = try fixture.open()
            try store.put(bytes("a"), bytes("1"))
            let snapshot = try store.snapshot()
            store.close()
            store.close()
            #expect(throws: StoreError.closed) { try store.get(bytes("a"), in: .default) }
            #expect(throws: StoreError.closed) { try store.scan(.default, range: .all, limit: 1) }
            #expect(throws: StoreError.closed) { try store.put(bytes("b"), bytes("2")) }
            #expect(throws: StoreError.closed) { try store.write(WriteBatch(), sync: true) }
            #expect(throws: StoreError.closed) { try store.snapshot() }
            // Closing the store releases its snapshots as well.
            #expect(throws: StoreError.closed) { try snapshot.get(bytes("a"), in: .default) }
            #expect(throws: StoreError.closed) { try snapshot.scan(.default, range: .all, limit: 1) }
            snapshot.close()
        }
    }

    @Test(arguments: Backend.allCases)
    func concurrentWritersAndReadersSeeWholeBatches(_ backend: Backend) throws {
        try withFixture(backend) { fixture in
            let mirror = try family("mirror")
            let store = try fixture.open([mirror])
            let writers = 8
            let batchesPerWriter = 50
            let violations = Violations()
            DispatchQueue.concurrentPerform(iterations: writers * 2) { worker in
                if worker < writers {
                    for index in 0..<batchesPerWriter {
                        let key = bytes("w\(worker)-\(index)")
                        var batch = WriteBatch()
                        batch.put(key, bytes("\(index)"))
                        batch.put(key, bytes("\(index)"), in: mirror)
                        do { try store.write(batch, sync: false) } catch { violations.record("write: \(error)") }
                    }
                } else {
                    // Each batch writes both families, so a snapshot sees equal key sets.
                    for _ in 0..<batchesPerWriter {
                        do {
                            let snapshot = try store.snapshot()
                            defer { snapshot.close() }
                            let left = try snapshot.keys(limit: StoreLimits.maxScanLimit)
                            let right = try snapshot.keys(mirror, limit: StoreLimits.maxScanLimit)
                            if left != right { violations.record("torn batch: \(left.count) vs \(right.count) keys") }
                        } catch {
                            violations.record("read: \(error)")
                        }
                    }
                }
            }
            #expect(violations.all.isEmpty, "\(violations.all.prefix(5))")
            #expect(try store.keys(limit: StoreLimits.maxScanLimit).count == writers * batchesPerWriter)
            #expect(try store.keys(mirror, limit: StoreLimits.maxScanLimit).count == writers * batchesPerWriter)
        }
    }
}

/// Failures collected from worker threads, reported on the test's thread.
final class Violations: Sendable {
    private let messages = Mutex<[String]>([])

    func record(_ message: String) {
        messages.withLock { $0.append(message) }
    }

    var all: [String] { messages.withLock { $0 } }
}
