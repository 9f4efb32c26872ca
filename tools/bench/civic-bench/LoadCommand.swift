import ArgumentParser
import BenchSupport
import BenchWorkload
import Foundation

/// The transaction mix against the devnet: set-up waves, then one measured
/// run per offered rate (and the open-loop maximum), on the same chain.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Offer the issue-9 transaction mix at fixed rates and at the maximum; measure committed tx/s and submit→commit latency.",
        discussion: """
            Every transaction is signed before its run starts. Set-up waves (registrations; licences and \
            invoices; grants and claims) commit first, so no measured transaction depends on another. \
            A transaction counts as committed when its receipt appears in a block of node1 (polled every \
            --poll-ms). Runs share one chain, so later runs see the state the earlier ones left.
            """)

    @Option(help: "The devnet folder (genesis.toml, nodeI/node.toml, nodeI/admin.key, nodeI/node.pid).")
    var devnet = "Nodes"

    @Option(parsing: .upToNextOption, help: "Offered rates in tx/s, one measured run each, in this order.")
    var rates: [Int] = [1_000, 2_000, 3_000]

    @Option(help: "Seconds each fixed-rate run offers load for.")
    var seconds = 20

    @Option(help: "Transactions of the open-loop maximum run (0: no such run).")
    var maxTransactions = 30_000

    @Option(help: "Transactions per batch request in the maximum run.")
    var batch = 200

    @Option(help: "Concurrent submitting loops in the maximum run.")
    var clients = 8

    @Option(help: "Milliseconds between the watcher's polls of node1's height.")
    var pollMs = 5

    @Option(help: "Seconds to wait after a run's last submission for its transactions to commit.")
    var drainSeconds = 60

    // A burst of 16,000 set-up transactions at once sent a new devnet into
    // repeated view changes (2026-12-05): set-up is paced so that it always
    // completes, and only the measured runs probe the maximum.
    @Option(help: "Offered rate of the set-up waves, tx/s.")
    var setupRate = 400

    @Option(help: "Offices and taxpayers registered in set-up.")
    var parties = 200

    @Option(help: "Write results as JSON to this file.")
    var json = "tools/bench/results/load.json"

    func validate() throws {
        guard !rates.isEmpty || maxTransactions > 0 else { throw ValidationError("give --rates or a --max-transactions above 0") }
        guard rates.allSatisfy({ (1...100_000).contains($0) }) else { throw ValidationError("--rates must each be in 1...100000") }
        guard (1...600).contains(seconds) else { throw ValidationError("--seconds must be in 1...600") }
        guard (0...2_000_000).contains(maxTransactions) else { throw ValidationError("--max-transactions must be in 0...2000000") }
        guard (1...1_000).contains(batch) else { throw ValidationError("--batch must be in 1...1000 (the API's batch limit)") }
        guard (1...256).contains(clients) else { throw ValidationError("--clients must be in 1...256") }
        guard (1...1_000).contains(pollMs) else { throw ValidationError("--poll-ms must be in 1...1000") }
        guard (1...3_600).contains(drainSeconds) else { throw ValidationError("--drain-seconds must be in 1...3600") }
        guard (1...100_000).contains(setupRate) else { throw ValidationError("--setup-rate must be in 1...100000") }
        guard (2...10_000).contains(parties) else { throw ValidationError("--parties must be in 2...10000") }
    }

    struct Run: Codable {
        let name: String
        let offeredPerSecond: Int?
        let transactions: Int
        let offerSeconds: Double
        let committed: Int
        let accepted: Int
        let refusedInBlock: Int
        let refusedAtAdmission: Int
        let uncommitted: Int
        let refusalCodes: [String: Int]
        /// Commits inside the offering window, per second of it.
        let committedPerSecondInWindow: Double
        /// All commits over first submission → last commit.
        let committedPerSecond: Double
        let lastCommitSeconds: Double
        let latency: LatencySummary
        let blocks: Int
        let meanBlockTransactions: Double
        let submitRetries: Int
        let processes: [ProcessUsage]
        let loadAverage: [Double]
    }

    struct Report: Codable {
        let build: String
        let suite: String
        let nodes: Int
        let cores: Int
        let setupTransactions: Int
        let setupSeconds: Double
        let rawSignedBytes: Int
        let dataBytesPerNode: [UInt64]
        let runs: [Run]
        let loadAverageAtEnd: [Double]
    }

    func run() async throws {
        let folder = try DevnetFolder(path: devnet)
        let http = BenchHTTP(connectionsPerHost: max(clients, 64))
        defer { Task { await http.shutdown() } }
        let tracker = CommitTracker()
        let start = try await http.json(BlockWatcher.Status.self, "\(folder.apis[0])/v1/status")
        let watcher = BlockWatcher(http: http, api: folder.apis[0], tracker: tracker, fromHeight: start.height, pollMillis: pollMs)
        let watching = Task { await watcher.run() }
        defer { watching.cancel() }
        let submitter = Submitter(http: http, apis: folder.apis, tracker: tracker)
        let processes = folder.processes()
        let all = ProcessSet(names: processes.names + ["civic-bench"], pids: processes.pids + [getpid()])

        let measuredTotal = rates.reduce(0) { $0 + $1 * seconds } + maxTransactions
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        var mix = try DevnetMix(
            chain: folder.chain, admins: folder.admins, offices: parties, taxpayers: parties, holders: 1_000, tag: now / 1000, nowMillis: now)
        let clock = ContinuousClock()
        let setupBegan = clock.now
        var raw = 0
        print("suite \(folder.chain.suite.id), \(folder.apis.count) nodes, load average \(LoadAverage.text)")
        print("set-up for \(measuredTotal) measured transactions …")
        let invoices = DevnetMix.invoicesNeeded(forMeasured: measuredTotal)
        let grants = measuredTotal / 5 / 5_000 + 100
        var setupCount = 0
        for (name, wave) in [
            ("registrations", { try mix.registrations() }),
            ("licences and invoices", { try mix.issues(licences: 500, invoices: invoices) }),
            ("grants and claims", { try mix.grantsAndClaims(grants: grants, maxUses: 10_000) }),
        ] as [(String, () throws -> [PresignedTransaction])] {
            let transactions = try wave()
            raw += transactions.reduce(0) { $0 + $1.bytes }
            setupCount += transactions.count
            print("  \(name): \(transactions.count) …")
            await submitter.offer(transactions, rate: setupRate)
            try await drain(tracker, seconds: drainSeconds)
            let state = tracker.take()
            print("    \(state.accepted) accepted, \(state.refusedInBlock + state.refusedAtAdmission) refused \(state.refusalCodes)")
            guard state.refusedInBlock + state.refusedAtAdmission == 0, state.pending.isEmpty else {
                throw BenchError("set-up wave '\(name)' did not commit cleanly; see the codes above")
            }
        }
        _ = watcher.takeBlocks()
        let setupSeconds = (clock.now - setupBegan).seconds

        var runs: [Run] = []
        var plan: [(String, Int?, Int)] = rates.map { ("rate \($0)", $0, $0 * seconds) }
        if maxTransactions > 0 { plan.append(("maximum", nil, maxTransactions)) }
        for (name, rate, count) in plan {
            print("signing \(count) transactions for \(name) …")
            let transactions = try mix.measured(count)
            raw += transactions.reduce(0) { $0 + $1.bytes }
            let before = all.sample()
            let began = clock.now
            if let rate {
                await submitter.offer(transactions, rate: rate)
            } else {
                await submitter.offerAtMaximum(transactions, batch: batch, clients: clients)
            }
            let offered = clock.now - began
            try? await drain(tracker, seconds: drainSeconds)
            let state = tracker.take()
            let end = clock.now
            // CPU over the whole run, offering and draining, as the samples span.
            let usage = all.usage(from: before, to: all.sample(), seconds: (end - began).seconds)
            let elapsed = ((state.lastCommit ?? end) - began).seconds
            let blocks = watcher.takeBlocks()
            let window = rate.map { _ in Double(seconds) } ?? offered.seconds
            let inWindow = state.commitInstants.filter { $0 - began <= .seconds(window) }.count
            let committed = state.accepted + state.refusedInBlock
            runs.append(Run(
                name: name, offeredPerSecond: rate, transactions: count, offerSeconds: offered.seconds, committed: committed,
                accepted: state.accepted, refusedInBlock: state.refusedInBlock, refusedAtAdmission: state.refusedAtAdmission,
                uncommitted: state.pending.count, refusalCodes: state.refusalCodes,
                committedPerSecondInWindow: Double(inWindow) / window, committedPerSecond: Double(committed) / max(elapsed, 0.001),
                lastCommitSeconds: elapsed, latency: state.latency.summary, blocks: blocks.count,
                meanBlockTransactions: blocks.isEmpty ? 0 : Double(blocks.reduce(0) { $0 + $1.transactions }) / Double(blocks.count),
                submitRetries: submitter.takeRetries(), processes: usage,
                loadAverage: LoadAverage.read()))
            print(table([runs.last!]))
        }
        let disk = folder.dataBytes()
        let report = Report(
            build: BenchOutput.build, suite: "\(folder.chain.suite.id)", nodes: folder.apis.count,
            cores: ProcessInfo.processInfo.activeProcessorCount, setupTransactions: setupCount, setupSeconds: setupSeconds,
            rawSignedBytes: raw, dataBytesPerNode: disk, runs: runs, loadAverageAtEnd: LoadAverage.read())
        print("\n" + table(runs))
        print("\n" + processTable(runs))
        print(String(
            format: "\nraw signed bytes submitted %.1f MiB; node1 data %.1f MiB (%.2f×); load average %@",
            Double(raw) / 1_048_576, Double(disk.first ?? 0) / 1_048_576, Double(disk.first ?? 0) / Double(max(raw, 1)), LoadAverage.text))
        try BenchOutput.write(report, to: json)
    }

    /// Waits until every tracked transaction has committed or been refused,
    /// or `seconds` pass without progress.
    func drain(_ tracker: CommitTracker, seconds: Int) async throws {
        let clock = ContinuousClock()
        var last = tracker.pendingCount
        var progress = clock.now
        while last > 0 {
            try await Task.sleep(for: .milliseconds(20))
            let now = tracker.pendingCount
            if now < last { progress = clock.now }
            last = now
            if clock.now - progress > .seconds(seconds) { throw BenchError("\(now) transactions did not commit within \(seconds) s of the last progress") }
        }
    }

    func table(_ runs: [Run]) -> String {
        BenchOutput.table(
            header: ["run", "offered tx/s", "txs", "committed", "refused", "tx/s in window", "tx/s to last", "p50 ms", "p99 ms", "p999 ms", "max ms", "blocks", "tx/block", "load"],
            rows: runs.map { run in
                [run.name, run.offeredPerSecond.map(String.init) ?? "max", "\(run.transactions)", "\(run.committed)",
                 "\(run.refusedInBlock + run.refusedAtAdmission)", String(format: "%.0f", run.committedPerSecondInWindow),
                 String(format: "%.0f", run.committedPerSecond), String(format: "%.1f", run.latency.p50Millis),
                 String(format: "%.1f", run.latency.p99Millis), String(format: "%.1f", run.latency.p999Millis),
                 String(format: "%.0f", run.latency.maxMillis), "\(run.blocks)", String(format: "%.0f", run.meanBlockTransactions),
                 run.loadAverage.first.map { String(format: "%.2f", $0) } ?? "?"]
            }, textColumns: 1)
    }

    func processTable(_ runs: [Run]) -> String {
        let names = runs.first?.processes.map(\.name) ?? []
        return BenchOutput.table(
            header: ["run"] + names.map { "\($0) CPU%" } + names.map { "\($0) RSS MiB" },
            rows: runs.map { run in
                [run.name] + run.processes.map(\.cpuCell) + run.processes.map(\.rssCell)
            }, textColumns: 1)
    }
}
