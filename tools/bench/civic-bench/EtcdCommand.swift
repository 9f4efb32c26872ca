import ArgumentParser
import BenchSupport
import Foundation
import Synchronization

/// The same load shape against etcd (Raft, crash fault tolerant) on the same
/// machine: puts of the mix's mean signed-transaction size, offered open-loop
/// at fixed rates and at a closed-loop maximum, through etcd's JSON gateway
/// (`POST /v3/kv/put`). A put answers once the leader has committed and applied
/// it, which is etcd's submit→commit.
struct EtcdCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "etcd",
        abstract: "Offer puts to an etcd cluster at fixed rates and at the maximum; measure puts/s and latency.",
        discussion: "tools/bench/run-all starts a 3-member etcd cluster on 127.0.0.1 (client ports 2379, 22379, 32379).")

    @Option(parsing: .upToNextOption, help: "Client URLs of the members; puts go round-robin.")
    var endpoints: [String] = ["http://127.0.0.1:2379", "http://127.0.0.1:22379", "http://127.0.0.1:32379"]

    @Option(parsing: .upToNextOption, help: "Pids of the members, for CPU% and RSS (optional).")
    var pids: [Int32] = []

    @Option(parsing: .upToNextOption, help: "Offered rates in puts/s, one run each.")
    var rates: [Int] = [1_000, 2_000, 3_000]

    @Option(help: "Seconds each fixed-rate run offers load for.")
    var seconds = 20

    @Option(help: "Puts of the maximum run (0: no such run).")
    var maxPuts = 30_000

    @Option(help: "Requests in flight in the maximum run.")
    var clients = 64

    @Option(help: "Value bytes per put (the mean signed transaction of the load run).")
    var valueBytes = 320

    @Option(help: "Write results as JSON to this file.")
    var json = "tools/bench/results/etcd.json"

    func validate() throws {
        guard !endpoints.isEmpty, endpoints.allSatisfy({ $0.hasPrefix("http://") }) else { throw ValidationError("--endpoints must be http:// URLs") }
        guard rates.allSatisfy({ (1...100_000).contains($0) }) else { throw ValidationError("--rates must each be in 1...100000") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be in 1...600") }
        guard (0...2_000_000).contains(maxPuts) else { throw ValidationError("--max-puts must be in 0...2000000") }
        guard (1...1_024).contains(clients) else { throw ValidationError("--clients must be in 1...1024") }
        guard (1...1_000_000).contains(valueBytes) else { throw ValidationError("--value-bytes must be in 1...1000000") }
    }

    struct Run: Codable {
        let name: String
        let offeredPerSecond: Int?
        let puts: Int
        let succeeded: Int
        let failed: Int
        let putsPerSecond: Double
        let seconds: Double
        let latency: LatencySummary
        let processes: [ProcessUsage]
        let loadAverage: [Double]
    }

    struct EtcdOutcome: Sendable {
        var latency = LatencyRecorder()
        var ok = 0
        var failed = 0
    }

    struct Report: Codable {
        let valueBytes: Int
        let members: Int
        let runs: [Run]
    }

    func run() async throws {
        let http = BenchHTTP(connectionsPerHost: max(clients, 256))
        defer { Task { await http.shutdown() } }
        let watched = ProcessSet(names: pids.indices.map { "etcd\($0 + 1)" } + ["civic-bench"], pids: pids + [getpid()])
        let value = Data((0..<valueBytes).map { UInt8(truncatingIfNeeded: $0 &* 31) }).base64EncodedString()
        let tag = UInt64(Date().timeIntervalSince1970)
        let body: @Sendable (Int) -> String = { index in
            let key = Data("bench/\(tag)/\(index)".utf8).base64EncodedString()
            return "{\"key\":\"\(key)\",\"value\":\"\(value)\"}"
        }
        var runs: [Run] = []
        var offset = 0
        var plan: [(String, Int?, Int)] = rates.map { ("rate \($0)", $0, $0 * seconds) }
        if maxPuts > 0 { plan.append(("maximum", nil, maxPuts)) }
        print("etcd: \(endpoints.count) members, \(valueBytes)-byte values, load average \(LoadAverage.text)")
        for (name, rate, count) in plan {
            let outcome = Shared(EtcdOutcome())
            let clock = ContinuousClock()
            let before = watched.sample()
            let began = clock.now
            let first = offset
            offset += count
            @Sendable func put(_ index: Int, from scheduled: ContinuousClock.Instant) async {
                let answer = try? await http.send(.POST, "\(endpoints[index % endpoints.count])/v3/kv/put", body: body(index))
                let micros = UInt64((clock.now - scheduled).seconds * 1_000_000)
                outcome.withLock { outcome in
                    outcome.latency.record(microseconds: micros)
                    if answer?.status == 200 { outcome.ok += 1 } else { outcome.failed += 1 }
                }
            }
            if let rate {
                await withTaskGroup(of: Void.self) { group in
                    await OpenLoop.pace(count: count, rate: rate) { due, scheduled, _ in
                        for index in due { group.addTask { await put(first + index, from: scheduled) } }
                    }
                }
            } else {
                let next = TicketCounter()
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<clients {
                        group.addTask {
                            while true {
                                let index = next.take()
                                guard index < count else { return }
                                await put(first + index, from: clock.now)
                            }
                        }
                    }
                }
            }
            let elapsed = (clock.now - began).seconds
            let result = outcome.withLock { $0 }
            runs.append(Run(
                name: name, offeredPerSecond: rate, puts: count, succeeded: result.ok, failed: result.failed,
                putsPerSecond: Double(result.ok) / elapsed, seconds: elapsed, latency: result.latency.summary,
                processes: watched.usage(from: before, to: watched.sample(), seconds: elapsed), loadAverage: LoadAverage.read()))
            print(table([runs.last!]))
        }
        print("\n" + table(runs))
        try BenchOutput.write(Report(valueBytes: valueBytes, members: endpoints.count, runs: runs), to: json)
    }

    func table(_ runs: [Run]) -> String {
        let names = runs.first?.processes.map(\.name) ?? []
        let header: [String] = ["run", "offered/s", "puts", "ok", "failed", "puts/s", "p50 ms", "p99 ms", "p999 ms"]
            + names.map { "\($0) CPU%" } + names.map { "\($0) RSS MiB" } + ["load"]
        return BenchOutput.table(header: header, rows: runs.map(row), textColumns: 1)
    }

    func row(_ run: Run) -> [String] {
        var cells: [String] = [run.name, run.offeredPerSecond.map(String.init) ?? "max", "\(run.puts)", "\(run.succeeded)", "\(run.failed)"]
        cells.append(String(format: "%.0f", run.putsPerSecond))
        cells.append(String(format: "%.1f", run.latency.p50Millis))
        cells.append(String(format: "%.1f", run.latency.p99Millis))
        cells.append(String(format: "%.1f", run.latency.p999Millis))
        cells += run.processes.map(\.cpuCell)
        cells += run.processes.map(\.rssCell)
        cells.append(run.loadAverage.first.map { String(format: "%.2f", $0) } ?? "?")
        return cells
    }
}
