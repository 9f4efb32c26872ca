import ArgumentParser
import BenchSupport
import Foundation
import LedgerCrypto

/// Single-core throughput of each suite's primitives. Numbers go in the issue
/// notes and docs/performance.md; no test asserts on time.
@main
struct BenchCrypto: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-crypto",
        abstract: "Measure hashes/s, MB/s, signs/s and verifies/s per crypto suite on one core.",
        discussion: "Build with -c release for meaningful numbers: swift run -c release bench-crypto")

    @Option(help: "Seconds to spend on each measurement.")
    var seconds: Double = 1.0

    @Option(help: "Write results as JSON to this file.")
    var json: String = "tools/bench/results/crypto.json"

    @Option(help: "Suites to measure.")
    var suite: [SuiteID] = SuiteID.allCases

    func validate() throws {
        guard seconds > 0, seconds <= 60 else { throw ValidationError("--seconds must be in (0, 60]") }
    }

    func run() throws {
        var rows: [Row] = []
        for id in suite {
            let crypto = CryptoSuites.suite(id)
            for size in [64, 1024, 1 << 20] {
                let data = [UInt8](repeating: 0x61, count: size)
                let rate = measure { _ = crypto.digest(data) }
                rows.append(Row(suite: id.rawValue, operation: "hash \(Self.sizeLabel(size))", perSecond: rate,
                                megabytesPerSecond: rate * Double(size) / 1_000_000))
            }
            let key = try crypto.generatePrivateKey()
            let message = [UInt8](repeating: 0x42, count: 100)
            let signature = try crypto.sign(message, with: key)
            precondition(crypto.verify(signature: signature, for: message, publicKey: key.publicKey))
            rows.append(Row(suite: id.rawValue, operation: "sign", perSecond: measure { _ = try? crypto.sign(message, with: key) }))
            rows.append(Row(suite: id.rawValue, operation: "verify", perSecond: measure {
                precondition(crypto.verify(signature: signature, for: message, publicKey: key.publicKey))
            }))
        }
        printTable(rows)
        try write(rows)
    }

    struct Row: Encodable {
        var suite: String
        var operation: String
        var perSecond: Double
        var microsecondsPerOp: Double
        var megabytesPerSecond: Double?

        init(suite: String, operation: String, perSecond: Double, megabytesPerSecond: Double? = nil) {
            self.suite = suite
            self.operation = operation
            self.perSecond = perSecond
            self.microsecondsPerOp = 1_000_000 / perSecond
            self.megabytesPerSecond = megabytesPerSecond
        }
    }

    /// Runs `body` in batches until `seconds` have passed; returns operations per second.
    private func measure(_ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        let budget = Duration.milliseconds(Int64(seconds * 1000))
        // Warm-up, then batches so that reading the clock costs little.
        for _ in 0..<3 { body() }
        var operations = 0
        var batch = 1
        let start = clock.now
        var elapsed = Duration.zero
        // The cap bounds the loop even if the clock misbehaves.
        for _ in 0..<1_000_000 where elapsed < budget {
            for _ in 0..<batch { body() }
            operations += batch
            elapsed = clock.now - start
            if elapsed < budget / 100 { batch *= 2 }
        }
        return Double(operations) / elapsed.seconds
    }

    private static func sizeLabel(_ size: Int) -> String {
        size >= 1 << 20 ? "\(size >> 20) MiB" : size >= 1024 ? "\(size >> 10) KiB" : "\(size) B"
    }

    private func printTable(_ rows: [Row]) {
        print(BenchOutput.table(
            header: ["suite", "operation", "ops/s", "µs/op", "MB/s"],
            rows: rows.map { row in
                [row.suite, row.operation, String(format: "%.0f", row.perSecond), String(format: "%.2f", row.microsecondsPerOp),
                 row.megabytesPerSecond.map { String(format: "%.1f", $0) } ?? ""]
            }))
    }

    private func write(_ rows: [Row]) throws {
        struct Report: Encodable {
            var benchmark = "crypto"
            var cores = 1
            var build: String
            var secondsPerMeasurement: Double
            var results: [Row]
        }
        try BenchOutput.write(Report(build: BenchOutput.build, secondsPerMeasurement: seconds, results: rows), to: json)
    }
}

extension SuiteID: ExpressibleByArgument {}
