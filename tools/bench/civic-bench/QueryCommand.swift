import ArgumentParser
import BenchSupport
import BenchWorkload
import Foundation
import LedgerCrypto
import NodeAPIModel
import Synchronization

/// Signed counter checks (`POST /v1/verify` naming a consent, signed by the
/// office the grant names) against one node, at several concurrencies.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Measure signed verify queries per second and their latency on one node, at several concurrencies.",
        discussion: """
            Registers --offices offices, issues licences and grants each office a consent, then signs \
            --requests requests per level before timing it (each nonce is good once). A node allows each \
            key 20 signed requests a second (burst 40) by default: either run the devnet with a high \
            [api] signed_requests_per_second (tools/bench/run-all does) or give enough offices; answers \
            429 are counted apart.
            """)

    @Option(help: "The devnet folder (genesis.toml, nodeI/node.toml, nodeI/admin.key, nodeI/node.pid).")
    var devnet = "Nodes"

    @Option(help: "The node to query (1-based).")
    var node = 1

    @Option(parsing: .upToNextOption, help: "Concurrent requests in flight, one measured level each.")
    var concurrency: [Int] = [1, 8, 32, 64]

    @Option(help: "Requests per level (each pre-signed).")
    var requests = 20_000

    @Option(help: "Office keys that sign the requests, round-robin.")
    var offices = 64

    @Option(help: "Write results as JSON to this file.")
    var json = "tools/bench/results/query.json"

    func validate() throws {
        guard (1...64).contains(node) else { throw ValidationError("--node must be in 1...64") }
        guard !concurrency.isEmpty, concurrency.allSatisfy({ (1...1_024).contains($0) }) else {
            throw ValidationError("--concurrency must each be in 1...1024")
        }
        guard (100...2_000_000).contains(requests) else { throw ValidationError("--requests must be in 100...2000000") }
        guard (1...10_000).contains(offices) else { throw ValidationError("--offices must be in 1...10000") }
    }

    struct Level: Codable {
        let concurrency: Int
        let requests: Int
        let passed: Int
        let rateLimited: Int
        let failed: Int
        let seconds: Double
        let queriesPerSecond: Double
        let latency: LatencySummary
        let processes: [ProcessUsage]
        let loadAverage: [Double]
    }

    struct Report: Codable {
        let build: String
        let suite: String
        let node: String
        let offices: Int
        let levels: [Level]
    }

    struct QueryOutcome: Sendable {
        var latency = LatencyRecorder()
        var passed = 0
        var limited = 0
        var failed = 0
    }

    struct Prepared: Sendable {
        let headers: [(String, String)]
        let body: String
    }

    func run() async throws {
        let folder = try DevnetFolder(path: devnet)
        guard node <= folder.apis.count else { throw ValidationError("the devnet has \(folder.apis.count) nodes") }
        let api = folder.apis[node - 1]
        let http = BenchHTTP(connectionsPerHost: max(concurrency.max() ?? 1, 8))
        defer { Task { await http.shutdown() } }

        print("set-up: \(offices) offices, licences, one consent per office …")
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        var mix = try DevnetMix(
            chain: folder.chain, admins: folder.admins, offices: offices, taxpayers: 2, holders: 50, tag: now / 1000 + 7, nowMillis: now)
        let tracker = CommitTracker()
        let start = try await http.json(BlockWatcher.Status.self, "\(api)/v1/status")
        let watcher = BlockWatcher(http: http, api: api, tracker: tracker, fromHeight: start.height, pollMillis: 10)
        let watching = Task { await watcher.run() }
        let submitter = Submitter(http: http, apis: folder.apis, tracker: tracker)
        for wave in [try mix.registrations(), try mix.issues(licences: 50, invoices: 0), try mix.grantsAndClaims(grants: offices, maxUses: 10)] {
            await submitter.offerAtMaximum(wave, batch: 200, clients: 4)
            while tracker.pendingCount > 0 { try await Task.sleep(for: .milliseconds(20)) }
            let state = tracker.take()
            guard state.refusedInBlock + state.refusedAtAdmission == 0 else { throw BenchError("set-up refused: \(state.refusalCodes)") }
        }
        watching.cancel()

        let suite = folder.chain.suite
        let processes = folder.processes()
        let watched = ProcessSet(names: [processes.names[node - 1], "civic-bench"], pids: [processes.pids[node - 1], getpid()])
        var levels: [Level] = []
        for level in concurrency {
            print("signing \(requests) requests for concurrency \(level) …")
            let signedAt = UInt64(Date().timeIntervalSince1970 * 1000)
            let prepared: [Prepared] = try (0..<requests).map { index in
                let grant = mix.grants[index % mix.grants.count]
                let office = mix.offices[grant.office]
                let body = try String(decoding: JSONEncoder().encode(
                    VerifyBody(licence: grant.licence.hex, consent: grant.id.hex, office: office.id.value)), as: UTF8.self)
                let headers = try SignedRequest.sign(method: "POST", target: "/v1/verify", timestampMillis: signedAt, key: office.key, suite: suite)
                return Prepared(headers: headers.fields.map { ($0.name, $0.value) }, body: body)
            }
            let next = TicketCounter()
            let outcome = Shared(QueryOutcome())
            let clock = ContinuousClock()
            let before = watched.sample()
            let began = clock.now
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<level {
                    group.addTask {
                        while true {
                            let index = next.take()
                            guard index < prepared.count else { return }
                            let request = prepared[index]
                            let sent = clock.now
                            let answer = try? await http.send(.POST, "\(api)/v1/verify", body: request.body, headers: request.headers)
                            let micros = UInt64((clock.now - sent).seconds * 1_000_000)
                            let passed = answer.map { $0.status == 200 && $0.body.readableBytesView.contains(Array("\"passed\":true".utf8)) } ?? false
                            outcome.withLock { outcome in
                                outcome.latency.record(microseconds: micros)
                                if passed { outcome.passed += 1 } else if answer?.status == 429 { outcome.limited += 1 } else { outcome.failed += 1 }
                            }
                        }
                    }
                }
            }
            let elapsed = (clock.now - began).seconds
            let usage = watched.usage(from: before, to: watched.sample(), seconds: elapsed)
            let result = outcome.withLock { $0 }
            levels.append(Level(
                concurrency: level, requests: requests, passed: result.passed, rateLimited: result.limited, failed: result.failed,
                seconds: elapsed, queriesPerSecond: Double(result.passed) / elapsed, latency: result.latency.summary,
                processes: usage, loadAverage: LoadAverage.read()))
            print(table([levels.last!]))
        }
        print("\n" + table(levels))
        try BenchOutput.write(
            Report(build: BenchOutput.build, suite: "\(suite.id)", node: api, offices: offices, levels: levels), to: json)
    }

    func table(_ levels: [Level]) -> String {
        BenchOutput.table(
            header: ["concurrency", "requests", "passed", "429", "failed", "verifies/s", "p50 ms", "p99 ms", "p999 ms", "node CPU%", "bench CPU%", "load"],
            rows: levels.map { level in
                ["\(level.concurrency)", "\(level.requests)", "\(level.passed)", "\(level.rateLimited)", "\(level.failed)",
                 String(format: "%.0f", level.queriesPerSecond), String(format: "%.2f", level.latency.p50Millis),
                 String(format: "%.2f", level.latency.p99Millis), String(format: "%.2f", level.latency.p999Millis)]
                    + level.processes.map(\.cpuCell)
                    + [level.loadAverage.first.map { String(format: "%.2f", $0) } ?? "?"]
            }, textColumns: 0)
    }
}
