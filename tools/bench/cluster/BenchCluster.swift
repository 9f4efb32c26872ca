import ArgumentParser
import BenchSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import GenesisFile
import LedgerCore
import LedgerCrypto
import LedgerState

/// Committed throughput of a running cluster (`tools/devnet up`): pre-signed
/// transactions are submitted over the HTTP API in batches, spread over the
/// nodes, and counted as committed when they appear in a block (walking the
/// block archive of one node). Signing happens before the clock starts.
@main
struct BenchCluster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-cluster",
        abstract: "Measure committed transactions per second of a running devnet over its HTTP API.",
        discussion: "Start the devnet first (DEVNET_BUILD=release tools/devnet up for meaningful figures).")

    @Option(help: "The devnet folder (genesis.toml, nodeI/node.toml, nodeI/admin.key).")
    var devnet = "Nodes"

    @Option(help: "Transactions to submit.")
    var transactions = 5_000

    @Option(help: "Transactions per HTTP batch request.")
    var batch = 200

    @Option(help: "Concurrent submitting clients.")
    var clients = 4

    @Option(help: "Write results as JSON to this file.")
    var json = "tools/bench/results/cluster.json"

    func validate() throws {
        guard (1...1_000_000).contains(transactions) else { throw ValidationError("--transactions must be in 1...1000000") }
        guard (1...1_000).contains(batch) else { throw ValidationError("--batch must be in 1...1000") }
        guard (1...64).contains(clients) else { throw ValidationError("--clients must be in 1...64") }
    }

    func run() async throws {
        let genesis = try GenesisFile.load(path: "\(devnet)/genesis.toml").document()
        let chain = ChainParameters(genesis: genesis)
        let gsdmb = genesis.bureaus.firstIndex { $0.id.description == "gsdmb" } ?? 0
        let admin = try KeyFile.load(from: "\(devnet)/node\(gsdmb + 1)/admin.key")
        let apis = try (1...genesis.bureaus.count).map { try BenchDevnet.apiAddress("\(devnet)/node\($0)/node.toml") }

        let start = try await status(apis[0])
        print("signing \(transactions) transactions …")
        let run = UInt64(Date().timeIntervalSince1970 * 1000)
        var signed: [(id: TxID, hex: String)] = []
        for n in 0..<transactions {
            let office = try chain.suite.generatePrivateKey()
            let operation = LedgerOperation.register(try Registration(
                subject: .office(OfficeID("bench-\(run % 1_000_000)-\(n)")!), name: "bench \(n)", key: office.publicKey.compressed))
            let transaction = try operation.signed(
                by: admin, chain: chain, nonce: run + UInt64(n), expiryHeight: Height(start.height + 100_000))
            signed.append((transaction.transaction.id(using: chain.suite), Hex.encode(Canonical.encode(transaction))))
        }
        let wanted = Set(signed.map(\.id.description))
        let batches = stride(from: 0, to: signed.count, by: batch).map { Array(signed[$0..<min($0 + batch, signed.count)]) }

        print("submitting in \(batches.count) batches of up to \(batch) with \(clients) clients …")
        let clock = ContinuousClock()
        let began = clock.now
        let refused = try await withThrowingTaskGroup(of: Int.self) { group in
            for client in 0..<clients {
                group.addTask {
                    var refused = 0
                    for (index, chunk) in batches.enumerated() where index % clients == client {
                        refused += try await submit(chunk.map(\.hex), to: apis[index % apis.count])
                    }
                    return refused
                }
            }
            return try await group.reduce(0, +)
        }
        let submitted = clock.now - began

        var found = 0
        var height = start.height + 1
        var lastProgress = clock.now
        while found < wanted.count - refused {
            let head = try await status(apis[0]).height
            while height <= head {
                found += try await blockTransactions(apis[0], height: height).filter { wanted.contains($0) }.count
                height += 1
                lastProgress = clock.now
            }
            if clock.now - lastProgress > .seconds(60) { throw ValidationError("no new block for 60 s; \(found) of \(wanted.count) committed") }
            try await Task.sleep(for: .milliseconds(20))
        }
        let committed = clock.now - began
        let end = try await status(apis[0])

        let rate = Double(found) / committed.seconds
        print(BenchOutput.table(
            header: ["build", "nodes", "transactions", "refused", "blocks", "submit s", "commit s", "committed tx/s"],
            rows: [[
                BenchOutput.build, "\(apis.count)", "\(transactions)", "\(refused)", "\(end.height - start.height)",
                String(format: "%.2f", submitted.seconds), String(format: "%.2f", committed.seconds), String(format: "%.0f", rate),
            ]], textColumns: 1))
        struct Report: Encodable {
            var build: String
            var nodes: Int
            var transactions: Int
            var refused: Int
            var batch: Int
            var clients: Int
            var blocks: UInt64
            var submitSeconds: Double
            var commitSeconds: Double
            var committedPerSecond: Double
        }
        try BenchOutput.write(Report(
            build: BenchOutput.build, nodes: apis.count, transactions: transactions, refused: refused, batch: batch,
            clients: clients, blocks: end.height - start.height, submitSeconds: submitted.seconds,
            commitSeconds: committed.seconds, committedPerSecond: rate), to: json)
    }

    struct Status: Decodable { var height: UInt64 }
    struct BlockBody: Decodable { var transactions: [String]? }
    struct Results: Decodable {
        struct Item: Decodable { var status: String?; var code: String? }
        var results: [Item]
    }

    func status(_ api: String) async throws -> Status {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "\(api)/v1/status")!)
        return try JSONDecoder().decode(Status.self, from: data)
    }

    func blockTransactions(_ api: String, height: UInt64) async throws -> [String] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: "\(api)/v1/blocks/\(height)")!)
        return try JSONDecoder().decode(BlockBody.self, from: data).transactions ?? []
    }

    /// Submits one batch, resubmitting the items the node found no room for
    /// (after a pause) until each is admitted or refused; returns the refused count.
    func submit(_ hexes: [String], to api: String) async throws -> Int {
        var pending = hexes
        var refused = 0
        for _ in 0..<600 {
            var request = URLRequest(url: URL(string: "\(api)/v1/transactions/batch")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try JSONSerialization.data(withJSONObject: ["transactions": pending])
            request.timeoutInterval = 60
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            var retry: [String] = []
            if status == 503 {
                retry = pending
            } else {
                guard status == 200 else { throw ValidationError("batch answered \(status): \(String(decoding: data, as: UTF8.self))") }
                let results = try JSONDecoder().decode(Results.self, from: data).results
                for (hex, result) in zip(pending, results) {
                    switch result.status {
                    case "accepted", "known": break
                    case "full": retry.append(hex)
                    default: refused += 1
                    }
                }
            }
            if retry.isEmpty { return refused }
            pending = retry
            try await Task.sleep(for: .milliseconds(200))
        }
        throw ValidationError("the mempool stayed full for two minutes")
    }
}
