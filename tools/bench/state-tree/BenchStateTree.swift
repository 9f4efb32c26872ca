import ArgumentParser
import BenchSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import LedgerCore
import LedgerCrypto
import LedgerStore
import LedgerTesting
import StateTree

/// Throughput of the state tree on one core: block updates, proofs and
/// verification, on memory and on RocksDB. Numbers go in docs/performance.md;
/// no test asserts on time.
@main
struct BenchStateTree: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-state-tree",
        abstract: "Measure state-tree block updates, proof generation and proof verification on one core.",
        discussion: "Build with -c release for meaningful numbers: swift run -c release bench-state-tree")

    enum Backend: String, ExpressibleByArgument, CaseIterable, Encodable {
        case memory
        case rocksdb
    }

    @Option(help: "Keys in the tree before the timed blocks.")
    var keys = 100_000

    @Option(help: "Timed blocks per suite and backend.")
    var blocks = 20

    @Option(help: "Changed keys per block (a block of 1,000 transactions touches about 4,000).")
    var changesPerBlock = 4_000

    @Option(help: "Share of each block's changes that insert new keys; the rest update existing ones.")
    var insertShare = 0.25

    @Option(help: "Proofs generated and verified per suite and backend.")
    var proofs = 2_000

    @Option(help: "Suites to measure.")
    var suite: [SuiteID] = SuiteID.allCases

    @Option(help: "Backends to measure.")
    var backend: [Backend] = Backend.allCases

    @Option(help: "Seed for keys and values, so runs are comparable.")
    var seed: UInt64 = 1

    @Option(help: "Write results as JSON to this file.")
    var json = "tools/bench/results/state-tree.json"

    func validate() throws {
        guard (1...10_000_000).contains(keys) else { throw ValidationError("--keys must be in 1...10,000,000") }
        guard (1...10_000).contains(blocks) else { throw ValidationError("--blocks must be in 1...10,000") }
        guard (1...500_000).contains(changesPerBlock) else { throw ValidationError("--changes-per-block must be in 1...500,000") }
        guard (0...1).contains(insertShare) else { throw ValidationError("--insert-share must be in 0...1") }
        guard (1...1_000_000).contains(proofs) else { throw ValidationError("--proofs must be in 1...1,000,000") }
    }

    func run() throws {
        var rows: [Row] = []
        for id in suite {
            for backend in backend {
                rows.append(try measure(suite: CryptoSuites.suite(id), suiteName: id.rawValue, backend: backend))
            }
        }
        printTable(rows)
        try write(rows)
    }

    struct Row: Encodable {
        var suite: String
        var backend: Backend
        var keys: Int
        var blocks: Int
        var changesPerBlock: Int
        var buildKeysPerSecond: Double
        /// `update` alone: hashing keys and values, reading nodes, hashing
        /// nodes, filling the batch and returning the root. CPU time of the
        /// calling thread, which other processes on a shared machine do not
        /// inflate; wall time beside it for comparison.
        var updateCPUMillisecondsPerBlock: Double
        var updateCPUMillisecondsWorstBlock: Double
        var updateWallMillisecondsPerBlock: Double
        var updateKeysPerCPUSecond: Double
        /// Writing the batch of tree nodes to the store (no fsync), CPU time
        /// of the calling thread (RocksDB's background threads not included).
        var writeCPUMillisecondsPerBlock: Double
        var nodeWritesPerBlock: Double
        var cpuMicrosecondsPerProof: Double
        var proofsVerifiedPerCPUSecond: Double
        var averageProofBytes: Double
    }

    private func measure(suite crypto: any CryptoSuite, suiteName: String, backend: Backend) throws -> Row {
        let family = try ColumnFamily("state_tree")
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("bench-state-tree-\(UUID().uuidString)", isDirectory: true)
        let store: any KeyValueStore
        switch backend {
        case .memory:
            store = InMemoryStore(columnFamilies: [family])
        case .rocksdb:
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            store = try RocksDBStore(path: directory.appendingPathComponent("db").path, columnFamilies: [family])
        }
        defer {
            store.close()
            try? FileManager.default.removeItem(at: directory)
        }
        let tree = StateTree(columnFamily: family, hash: crypto)
        var random = SeededGenerator(seed: seed)
        let clock = ContinuousClock()

        // Build in blocks of 10,000 keys, as a chain filling up would.
        var present: [[UInt8]] = []
        present.reserveCapacity(keys + blocks * changesPerBlock)
        // Current values, so proofs are checked the way a client checks them.
        var values: [[UInt8]: [UInt8]] = [:]
        let buildTime = try clock.measure {
            while present.count < keys {
                var changes: [[UInt8]: [UInt8]?] = [:]
                for _ in 0..<min(10_000, keys - present.count) {
                    let key = Self.key(&random)
                    let value = Self.value(&random)
                    changes[key] = value
                    values[key] = value
                    present.append(key)
                }
                var batch = WriteBatch()
                _ = try tree.update(changes, reader: store, batch: &batch)
                try store.write(batch, sync: false)
            }
        }

        var updateTimes: [Double] = []
        var updateWallTimes: [Duration] = []
        var writeTimes: [Double] = []
        var nodeWrites = 0
        for _ in 0..<blocks {
            var changes: [[UInt8]: [UInt8]?] = [:]
            let inserts = Int((Double(changesPerBlock) * insertShare).rounded())
            for _ in 0..<inserts {
                let key = Self.key(&random)
                let value = Self.value(&random)
                changes[key] = value
                values[key] = value
                present.append(key)
            }
            while changes.count < changesPerBlock {
                let key = present.randomElement(using: &random)!
                let value = Self.value(&random)
                changes[key] = value
                values[key] = value
            }
            var batch = WriteBatch()
            var root = Digest.zero
            let wallStart = clock.now
            updateTimes.append(try Self.cpuSeconds { root = try tree.update(changes, reader: store, batch: &batch) })
            updateWallTimes.append(clock.now - wallStart)
            nodeWrites += batch.count
            writeTimes.append(try Self.cpuSeconds { try store.write(batch, sync: false) })
            guard try tree.root(in: store) == root else { throw ValidationError("stored root differs from update's") }
        }

        let root = try tree.root(in: store)
        var proofKeys: [[UInt8]] = (0..<proofs).map { index in
            index % 4 == 3 ? Self.key(&random) : present.randomElement(using: &random)!
        }
        proofKeys.shuffle(using: &random)
        var made: [StateProof] = []
        made.reserveCapacity(proofs)
        let proveTime = try Self.cpuSeconds {
            for key in proofKeys { made.append(try tree.prove(key, in: store)) }
        }
        let expected = proofKeys.map { values[$0] }
        var valid = 0
        let verifyTime = Self.cpuSeconds {
            for index in made.indices where made[index].verify(key: proofKeys[index], value: expected[index], root: root, hash: crypto) {
                valid += 1
            }
        }
        guard valid == made.count else { throw ValidationError("\(made.count - valid) proofs failed to verify") }
        let proofBytes = made.reduce(0) { $0 + Canonical.encode($1).count }

        let updateSeconds = updateTimes.reduce(0, +)
        return Row(
            suite: suiteName, backend: backend, keys: keys, blocks: blocks, changesPerBlock: changesPerBlock,
            buildKeysPerSecond: Double(keys) / buildTime.seconds,
            updateCPUMillisecondsPerBlock: updateSeconds * 1000 / Double(blocks),
            updateCPUMillisecondsWorstBlock: (updateTimes.max() ?? 0) * 1000,
            updateWallMillisecondsPerBlock: updateWallTimes.map(\.seconds).reduce(0, +) * 1000 / Double(blocks),
            updateKeysPerCPUSecond: Double(blocks * changesPerBlock) / updateSeconds,
            writeCPUMillisecondsPerBlock: writeTimes.reduce(0, +) * 1000 / Double(blocks),
            nodeWritesPerBlock: Double(nodeWrites) / Double(blocks),
            cpuMicrosecondsPerProof: proveTime * 1_000_000 / Double(proofs),
            proofsVerifiedPerCPUSecond: Double(proofs) / verifyTime,
            averageProofBytes: Double(proofBytes) / Double(proofs))
    }

    /// CPU time of this thread spent in `body`: on a shared machine, wall
    /// time also counts the time other processes held the core.
    private static func cpuSeconds(_ body: () throws -> Void) rethrows -> Double {
        func now() -> Double {
            var spec = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
            return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
        }
        let start = now()
        try body()
        return now() - start
    }

    private static func key(_ random: inout SeededGenerator) -> [UInt8] { random.bytes(32) }
    private static func value(_ random: inout SeededGenerator) -> [UInt8] { random.bytes(100) }

    private func printTable(_ rows: [Row]) {
        let header = ["suite", "backend", "keys", "update cpu ms", "worst", "wall ms", "keys/s", "write cpu ms",
                      "nodes/block", "µs/proof", "verified/s", "proof B"]
        let cells = rows.map { row in
            [row.suite, row.backend.rawValue, "\(row.keys)", Self.format(row.updateCPUMillisecondsPerBlock, 1),
             Self.format(row.updateCPUMillisecondsWorstBlock, 1), Self.format(row.updateWallMillisecondsPerBlock, 1),
             Self.format(row.updateKeysPerCPUSecond, 0), Self.format(row.writeCPUMillisecondsPerBlock, 1),
             Self.format(row.nodeWritesPerBlock, 0), Self.format(row.cpuMicrosecondsPerProof, 1),
             Self.format(row.proofsVerifiedPerCPUSecond, 0), Self.format(row.averageProofBytes, 0)]
        }
        print("\(blocks) blocks of \(changesPerBlock) changed keys (\(Int(insertShare * 100))% inserts) per suite and backend;")
        print("times are CPU time of the benchmark thread unless marked wall; per block unless marked per proof")
        print(BenchOutput.table(header: header, rows: cells))
    }

    private static func format(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

    private func write(_ rows: [Row]) throws {
        struct Report: Encodable {
            var benchmark = "state-tree"
            var cores = 1
            var build: String
            var insertShare: Double
            var results: [Row]
        }
        try BenchOutput.write(Report(build: BenchOutput.build, insertShare: insertShare, results: rows), to: json)
    }
}

extension SuiteID: ExpressibleByArgument {}
