import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerStore
import Testing

/// The same blocks give the same receipts and roots on every store, and
/// replaying them from genesis gives the same state byte for byte.
@Suite("Determinism across stores")
struct DeterminismTests {
    @Test("Random blocks on the in-memory and the RocksDB store agree after every block; a replay reproduces them",
          arguments: [(UInt64(1), SuiteID.standard), (2, .standard), (3, .guomi)])
    func randomBlocks(seed: UInt64, suite: SuiteID) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-determinism-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let rocks = try RocksDBStore(path: directory, columnFamilies: LedgerColumns.all)
        defer { rocks.close() }
        let memory = try LedgerHarness(seed: seed, suite: suite)
        let disk = try LedgerHarness(seed: seed, suite: suite, store: rocks)
        #expect(try memory.root() == disk.root())

        var workload = try RandomWorkload(harness: memory, seed: seed &* 7919)
        var blocks: [Block] = []
        var allReceipts: [[Receipt]] = []
        var accepted = 0
        for _ in 0..<30 {
            let count = Int.random(in: 0...24, using: &workload.rng)
            let transactions = try (0..<count).map { _ in try workload.transaction() }
            memory.time += UInt64.random(in: 0...4_000, using: &workload.rng)
            let block = try memory.ledger.nextBlock(transactions: transactions, timeMillis: memory.time, proposer: Address(unchecked: [UInt8](repeating: 7, count: 20)))
            let a = try memory.ledger.apply(block)
            let b = try disk.ledger.apply(block)
            #expect(a.receipts == b.receipts)
            #expect(a.head == b.head)
            try #require(a.stateRoot == b.stateRoot, "roots diverged at height \(block.header.height)")
            try workload.learn(from: block, receipts: a.receipts)
            accepted += a.receipts.filter(\.accepted).count
            blocks.append(block)
            allReceipts.append(a.receipts)
        }
        // The workload must exercise both outcomes, or this test proves little.
        #expect(accepted > 20)
        #expect(allReceipts.joined().count - accepted > 20)
        let codes = Set(allReceipts.joined().map(\.code))
        #expect(codes.count >= 12, "only \(codes.map(\.rawValue).sorted())")

        let replay = try LedgerHarness(seed: seed, suite: suite)
        for (block, receipts) in zip(blocks, allReceipts) {
            #expect(try replay.ledger.apply(block).receipts == receipts)
        }
        #expect(try replay.root() == memory.root())
        try expectSameContents(memory.ledger.store, rocks)
        try expectSameContents(memory.ledger.store, replay.ledger.store)
    }

    @Test("Applying a block twice, or a block that does not extend the head, is refused and writes nothing")
    func blockChecks() throws {
        let h = try LedgerHarness(seed: 5)
        let block = try h.ledger.nextBlock(transactions: [], timeMillis: h.time + 1, proposer: Address(unchecked: [UInt8](repeating: 0, count: 20)))
        try h.ledger.apply(block)
        let root = try h.root()
        #expect(throws: LedgerError.self) { try h.ledger.apply(block) }
        let header = block.header
        let wrongRoot = BlockHeader(
            chainID: header.chainID, height: Height(2), previousHash: try h.ledger.head().blockHash, timestampMillis: header.timestampMillis,
            transactionsRoot: header.transactionsRoot, stateRoot: h.suite.digest([1]), proposer: header.proposer)
        #expect {
            try h.ledger.apply(try Block(header: wrongRoot, transactions: []))
        } throws: { error in
            guard case LedgerError.block(.wrongStateRoot) = error else { return false }
            return true
        }
        #expect(try h.root() == root)
    }

    @Test("A store created from one genesis refuses another")
    func genesisMismatch() throws {
        let store = InMemoryStore(columnFamilies: LedgerColumns.all)
        _ = try LedgerHarness(seed: 1, store: store)
        #expect(throws: LedgerError.self) { _ = try LedgerHarness(seed: 2, store: store) }
        _ = try LedgerHarness(seed: 1, store: store)
    }

    private func expectSameContents(_ a: any KeyValueStore, _ b: any KeyValueStore) throws {
        for column in LedgerColumns.all {
            var range = KeyRange.all
            while true {
                let left = try a.scan(column, range: range, limit: 1_000)
                let right = try b.scan(column, range: range, limit: 1_000)
                #expect(left == right, "column \(column) differs")
                guard left == right, let last = left.last, left.count == 1_000 else { break }
                range = range.remaining(after: last.key, reverse: false)
            }
        }
    }
}
