import ArgumentParser
import BenchSupport
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerStore

/// `apply` throughput on one core: blocks of mixed transactions executed and
/// written (one synced batch per block), with signatures already verified and
/// with the state machine verifying them. Numbers go in the issue notes and
/// docs/performance.md; no test asserts on time.
@main
struct BenchLedger: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-ledger",
        abstract: "Measure LedgerState apply throughput (tx/s) for blocks of mixed transactions.",
        discussion: "Build with -c release for meaningful numbers: swift run -c release bench-ledger")

    enum StoreKind: String, ExpressibleByArgument, CaseIterable { case memory, rocksdb }

    @Option(help: "Measured blocks per configuration (after one set-up block and one warm-up block).")
    var blocks: Int = 10

    @Option(help: "Transactions per block.")
    var blockSize: Int = 1_000

    @Option(help: "Blocks of 1,000 transactions applied, untimed, before the warm-up: a chain with a large state, whose tree no cache holds whole.")
    var preloadBlocks: Int = 0
    static let preloadBlockSize = 1_000
    var preloadedTransactions: Int { preloadBlocks * Self.preloadBlockSize }

    @Option(help: "Crypto suite of the chain.")
    var suite: SuiteID = .standard

    @Option(help: "Stores to measure.")
    var store: [StoreKind] = StoreKind.allCases

    enum SignatureChoice: String, ExpressibleByArgument, CaseIterable { case verified, checked }

    /// `verified`: already verified before apply; `checked`: verified in apply.
    /// Choosing one halves a run, which matters under a profiler.
    @Option(help: "Signature policies to measure: verified (before apply), checked (in apply).")
    var signatures: [SignatureChoice] = SignatureChoice.allCases

    @Option(help: "Write results as JSON to this file.")
    var json: String = "tools/bench/results/ledger.json"

    func validate() throws {
        guard (1...1_000).contains(blocks) else { throw ValidationError("--blocks must be in 1...1000") }
        guard (0...2_000).contains(preloadBlocks) else { throw ValidationError("--preload-blocks must be in 0...2000") }
        guard (1...Block.maxTransactions).contains(blockSize) else { throw ValidationError("--block-size must be in 1...\(Block.maxTransactions)") }
    }

    struct Row: Encodable {
        var store: String
        var signatures: String
        var blocks: Int
        var transactions: Int
        var accepted: Int
        var seconds: Double
        var transactionsPerSecond: Double
        var millisecondsPerBlock: Double
        /// Of which: executing (rules, state tree) and writing the batch.
        var executeMillisecondsPerBlock: Double
        var writeMillisecondsPerBlock: Double
    }

    func run() throws {
        var rows: [Row] = []
        for kind in store {
            for choice in signatures {
                rows.append(try measure(kind, choice == .verified ? .alreadyVerified : .verify))
            }
        }
        printTable(rows)
        try write(rows)
    }

    private func measure(_ kind: StoreKind, _ policy: SignaturePolicy) throws -> Row {
        var workload = try LedgerWorkload(suite: suite, seed: 2026)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bench-ledger-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let backing: any KeyValueStore = kind == .memory
            ? InMemoryStore(columnFamilies: LedgerColumns.all)
            : try RocksDBStore(path: directory, columnFamilies: LedgerColumns.all)
        defer { backing.close() }
        let ledger = try Ledger(store: backing, genesis: workload.genesis)
        let proposer = Address(unchecked: [UInt8](repeating: 1, count: 20))
        var time = workload.genesis.genesisTimeMillis

        func next(_ transactions: [SignedTransaction]) throws -> Block {
            time += 1_000
            return try ledger.nextBlock(transactions: transactions, timeMillis: time, proposer: proposer)
        }
        let setup = try ledger.apply(try next(try workload.setup()), signatures: .alreadyVerified)
        precondition(setup.receipts.allSatisfy(\.accepted), "set-up refused: \(setup.receipts.first { !$0.accepted }!)")
        for _ in 0..<preloadBlocks {
            workload.learn(try ledger.apply(try next(try workload.block(size: Self.preloadBlockSize, timeMillis: time)), signatures: .alreadyVerified).receipts)
        }
        // Warm-up: fills the pools of licences, grants and invoices.
        workload.learn(try ledger.apply(try next(try workload.block(size: blockSize, timeMillis: time)), signatures: policy).receipts)

        let clock = ContinuousClock()
        var elapsed = Duration.zero
        var executing = Duration.zero
        var writing = Duration.zero
        var transactions = 0
        var accepted = 0
        for _ in 0..<blocks {
            // Building and signing is the clients' work, so it stays outside the timing.
            let block = try next(try workload.block(size: blockSize, timeMillis: time))
            // The steps of Ledger.apply, timed apart: snapshot, execute, one synced write.
            let start = clock.now
            let snapshot = try backing.snapshot()
            let execution = try ledger.executor.execute(block, on: snapshot, signatures: policy)
            snapshot.close()
            let executed = clock.now
            try backing.write(execution.batch, sync: true)
            let written = clock.now
            elapsed += written - start
            executing += executed - start
            writing += written - executed
            transactions += execution.receipts.count
            accepted += execution.receipts.filter(\.accepted).count
            workload.learn(execution.receipts)
        }
        let total = elapsed.seconds
        return Row(
            store: kind.rawValue, signatures: policy == .verify ? "verified in apply" : "already verified",
            blocks: blocks, transactions: transactions, accepted: accepted, seconds: total,
            transactionsPerSecond: Double(transactions) / total, millisecondsPerBlock: total * 1_000 / Double(blocks),
            executeMillisecondsPerBlock: executing.seconds * 1_000 / Double(blocks),
            writeMillisecondsPerBlock: writing.seconds * 1_000 / Double(blocks))
    }

    private func printTable(_ rows: [Row]) {
        let preloaded = preloadBlocks == 0 ? "" : ", after \(preloadedTransactions) preloaded transactions"
        print("suite \(suite), \(blockSize) transactions per block\(preloaded), one core\n")
        print(BenchOutput.table(
            header: ["store", "signatures", "blocks", "accepted", "tx/s", "ms/block", "execute ms", "write ms"],
            rows: rows.map {
                [$0.store, $0.signatures, String($0.blocks), String(format: "%.1f%%", 100 * Double($0.accepted) / Double($0.transactions)),
                 String(format: "%.0f", $0.transactionsPerSecond), String(format: "%.1f", $0.millisecondsPerBlock),
                 String(format: "%.1f", $0.executeMillisecondsPerBlock), String(format: "%.1f", $0.writeMillisecondsPerBlock)]
            }))
    }

    private func write(_ rows: [Row]) throws {
        struct Report: Encodable {
            var benchmark = "ledger-apply"
            var cores = 1
            var build: String
            var suite: String
            var blockSize: Int
            var preloadedTransactions: Int
            var results: [Row]
        }
        try BenchOutput.write(Report(build: BenchOutput.build, suite: suite.rawValue, blockSize: blockSize, preloadedTransactions: preloadedTransactions, results: rows), to: json)
    }
}

extension SuiteID: ExpressibleByArgument {}
