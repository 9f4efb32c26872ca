import ArgumentParser
import BenchSupport
import Foundation
import LedgerCrypto
import LedgerStore
import Synchronization

/// The machine's ceilings for a cluster on it, measured in the same run as
/// the load: signature checks per second (each replica checks every
/// transaction, so the cluster can commit at most cores × per-core ÷ replicas
/// transactions a second on one machine) and synced RocksDB batch commits
/// per second on this disk (each block costs at least one).
struct LimitsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limits",
        abstract: "Measure signature verifications/s (one core, all cores) and synced RocksDB batch commits/s on this disk.")

    @Option(help: "Crypto suite whose verification is timed.")
    var suite: SuiteID = .standard

    @Option(help: "Seconds per measurement.")
    var seconds = 3

    @Option(help: "Replicas on this machine (the devnet's 4).")
    var replicas = 4

    @Option(help: "Signatures per transaction of the mix (a consent grant carries two: 20 % × 2 + 80 % × 1).")
    var signaturesPerTransaction = 1.2

    @Option(help: "A folder on the disk under test; a RocksDB is created in it and deleted after.")
    var directory = "Nodes"

    @Option(help: "Write results as JSON to this file.")
    var json = "tools/bench/results/limits.json"

    func validate() throws {
        guard (1...60).contains(seconds) else { throw ValidationError("--seconds must be in 1...60") }
        guard (1...100).contains(replicas) else { throw ValidationError("--replicas must be in 1...100") }
        guard (1.0...4.0).contains(signaturesPerTransaction) else { throw ValidationError("--signatures-per-transaction must be in 1...4") }
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--directory \(directory) is not a folder")
        }
    }

    struct Report: Codable {
        let build: String
        let suite: String
        let cores: Int
        let verifiesPerSecondOneCore: Double
        let verifiesPerSecondAllCores: Double
        let replicas: Int
        /// One-core rate × cores ÷ replicas: the formula.
        let clusterSignatureCeiling: Double
        /// The same divided by the mix's signatures per transaction.
        let clusterTransactionCeiling: Double
        let syncedCommitsPerSecondSmall: Double
        let syncedCommitsPerSecondBlockSized: Double
        let blockSizedBatchBytes: Int
        let loadAverage: [Double]
    }

    func run() async throws {
        let crypto = CryptoSuites.suite(suite)
        let key = try crypto.generatePrivateKey()
        let message = Array("civic-bench limits: a transaction's signing message of about this size".utf8)
        let signature = try crypto.sign(message, with: key)
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let seconds = Double(seconds)

        /// Verifications per second on `threads` threads at once.
        func verifies(threads: Int) -> Double {
            let total = Atomic(0)
            let began = Date()
            DispatchQueue.concurrentPerform(iterations: threads) { _ in
                var count = 0
                while Date().timeIntervalSince(began) < seconds {
                    for _ in 0..<50 where crypto.verify(signature: signature, for: message, publicKey: key.publicKey) { count += 1 }
                }
                total.add(count, ordering: .relaxed)
            }
            return Double(total.load(ordering: .relaxed)) / Date().timeIntervalSince(began)
        }
        print("timing \(suite) verification on 1 and \(cores) threads (load average \(LoadAverage.text)) …")
        let one = verifies(threads: 1)
        let all = verifies(threads: cores)

        print("timing synced RocksDB commits in \(directory) …")
        let path = "\(directory)/.civic-bench-rocksdb-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try RocksDBStore(path: path, columnFamilies: [.default])
        defer { store.close() }
        func commits(keys: Int, valueBytes: Int) throws -> Double {
            let began = Date()
            var count = 0
            var serial: UInt64 = 0
            while Date().timeIntervalSince(began) < seconds {
                var batch = WriteBatch()
                for _ in 0..<keys {
                    serial += 1
                    batch.put(withUnsafeBytes(of: serial.bigEndian) { Array($0) }, [UInt8](repeating: UInt8(truncatingIfNeeded: serial), count: valueBytes))
                }
                try store.write(batch, sync: true)
                count += 1
            }
            return Double(count) / Date().timeIntervalSince(began)
        }
        let small = try commits(keys: 1, valueBytes: 100)
        // About what one block of 1,000 mixed transactions writes: some 20,000
        // keys (bench-ledger's profile), here 20,000 × 40 B.
        let blockKeys = 20_000, blockValue = 40
        let block = try commits(keys: blockKeys, valueBytes: blockValue)

        let report = Report(
            build: BenchOutput.build, suite: "\(suite)", cores: cores, verifiesPerSecondOneCore: one, verifiesPerSecondAllCores: all,
            replicas: replicas, clusterSignatureCeiling: one * Double(cores) / Double(replicas),
            clusterTransactionCeiling: one * Double(cores) / Double(replicas) / signaturesPerTransaction,
            syncedCommitsPerSecondSmall: small, syncedCommitsPerSecondBlockSized: block,
            blockSizedBatchBytes: blockKeys * (8 + blockValue), loadAverage: LoadAverage.read())
        print(BenchOutput.table(
            header: ["suite", "cores", "verifies/s 1 core", "verifies/s all cores", "÷ replicas", "tx/s ceiling (÷ sigs/tx)", "synced commits/s (1 key)", "synced commits/s (block-sized)", "load"],
            rows: [[
                "\(suite)", "\(cores)", String(format: "%.0f", one), String(format: "%.0f", all),
                String(format: "%.0f", report.clusterSignatureCeiling), String(format: "%.0f", report.clusterTransactionCeiling),
                String(format: "%.0f", small), String(format: "%.0f", block), LoadAverage.text,
            ]], textColumns: 1))
        try BenchOutput.write(report, to: json)
    }
}

extension SuiteID: ExpressibleByArgument {}
