import ArgumentParser
import BenchSupport
import Consensus
import Foundation
import LedgerCore
import LedgerCrypto

/// Encode and decode time of the consensus messages that carry batches: a
/// PRE-PREPARE with one batch, a VIEW-CHANGE with a window of prepared
/// batches, and the NEW-VIEW built from three of them. Under overload these
/// are what a replica encodes and decodes while it changes views, so their
/// cost decides whether a view change finishes before the next timer fires.
/// Signatures are keyed hashes: this measures the codec, not the crypto.
@main
struct BenchCodec: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-codec",
        abstract: "Measure DER encode and decode time of batch-carrying consensus messages.",
        discussion: """
            Build in release mode (swift build -c release --product bench-codec). Decoding \
            includes the canonical re-encode check every received message goes through.
            """)

    @Option(help: "Prepared batches in the VIEW-CHANGE (the replica window is 32).")
    var batches = 32

    @Option(help: "Requests per batch.")
    var requests = 256

    @Option(help: "Bytes per request (a signed ledger transaction is about 300-500).")
    var requestBytes = 400

    @Option(help: "Timed repetitions of each message; the median is reported.")
    var repetitions = 9

    @Option(help: "Write results as JSON to this file.")
    var json = "tools/bench/results/codec.json"

    func validate() throws {
        guard (1...ConsensusLimits.maxWindow).contains(batches) else {
            throw ValidationError("--batches must be in 1...\(ConsensusLimits.maxWindow)")
        }
        guard (1...ConsensusLimits.maxBatchRequests).contains(requests) else {
            throw ValidationError("--requests must be in 1...\(ConsensusLimits.maxBatchRequests)")
        }
        guard (1...ConsensusLimits.maxRequestBytes).contains(requestBytes) else {
            throw ValidationError("--request-bytes must be in 1...\(ConsensusLimits.maxRequestBytes)")
        }
        guard (1...101).contains(repetitions) else { throw ValidationError("--repetitions must be in 1...101") }
        guard batches * requests * requestBytes <= ConsensusLimits.maxAttachedBatchBytes else {
            throw ValidationError("batches × requests × request bytes is over the \(ConsensusLimits.maxAttachedBatchBytes)-byte limit of a message")
        }
    }

    struct Row: Codable {
        let message: String
        let bytes: Int
        let encodeMillis: Double
        let decodeMillis: Double
        let encodeMBPerSecond: Double
        let decodeMBPerSecond: Double
    }

    struct Report: Codable {
        let build: String
        let batches: Int
        let requests: Int
        let requestBytes: Int
        let repetitions: Int
        let rows: [Row]
    }

    func run() throws {
        let messages = try MessageFactory(batches: batches, requests: requests, requestBytes: requestBytes).messages()
        var rows: [Row] = []
        for (name, message) in messages {
            var encoded: [UInt8] = []
            let encode = median { encoded = Canonical.encode(message) }
            var decoded: ConsensusMessage?
            let decode = median { decoded = try? Canonical.decode(ConsensusMessage.self, from: encoded) }
            // Checked once, outside the clock: comparing megabytes of batches is not decoding.
            precondition(decoded == message, "\(name) did not decode to itself")
            let megabytes = Double(encoded.count) / 1e6
            rows.append(Row(
                message: name, bytes: encoded.count,
                encodeMillis: encode * 1e3, decodeMillis: decode * 1e3,
                encodeMBPerSecond: megabytes / encode, decodeMBPerSecond: megabytes / decode))
        }
        print("build \(BenchOutput.build); \(batches) batches × \(requests) requests × \(requestBytes) bytes; median of \(repetitions)\n")
        print(BenchOutput.table(
            header: ["message", "bytes", "encode ms", "decode ms", "encode MB/s", "decode MB/s"],
            rows: rows.map {
                [$0.message, String($0.bytes), String(format: "%.2f", $0.encodeMillis), String(format: "%.2f", $0.decodeMillis),
                 String(format: "%.0f", $0.encodeMBPerSecond), String(format: "%.0f", $0.decodeMBPerSecond)]
            },
            textColumns: 1))
        try BenchOutput.write(
            Report(build: BenchOutput.build, batches: batches, requests: requests, requestBytes: requestBytes,
                   repetitions: repetitions, rows: rows),
            to: json)
    }

    /// Median wall time in seconds of `repetitions` runs, after one untimed run.
    func median(_ body: () -> Void) -> Double {
        body()
        let clock = ContinuousClock()
        let times = (0..<repetitions).map { _ in clock.measure(body).seconds }.sorted()
        return times[times.count / 2]
    }
}
