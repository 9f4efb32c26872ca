import BenchWorkload
import Foundation
import Synchronization

/// Offers pre-signed transactions to the nodes' batch route, round-robin.
/// At a fixed rate it is open-loop: a batch leaves every tick whether or not
/// earlier ones were answered, and each transaction's latency starts at its
/// scheduled instant (no coordinated omission). Items the mempool has no room
/// for are resubmitted after a pause, their clock still running.
final class Submitter: Sendable {
    let http: BenchHTTP
    let apis: [String]
    let tracker: CommitTracker
    let retries = Mutex(0)

    init(http: BenchHTTP, apis: [String], tracker: CommitTracker) {
        self.http = http
        self.apis = apis
        self.tracker = tracker
    }

    /// Batches resubmitted since the last call (mempool full, or no answer).
    func takeRetries() -> Int {
        retries.withLock { count in
            defer { count = 0 }
            return count
        }
    }

    struct Results: Decodable {
        struct Item: Decodable { let status: String?; let code: String? }
        let results: [Item]
    }

    /// Offers `transactions` at `rate` per second in ticks of `tickMillis`.
    func offer(_ transactions: [PresignedTransaction], rate: Int, tickMillis: Int = 10) async {
        await withTaskGroup(of: Void.self) { group in
            await OpenLoop.pace(count: transactions.count, rate: rate, tickMillis: tickMillis) { due, scheduled, tick in
                let chunk = Array(transactions[due])
                tracker.submitted(chunk.map(\.txid), at: scheduled)
                let api = apis[tick % apis.count]
                group.addTask { await self.submit(chunk, to: api) }
            }
        }
    }

    /// Offers `transactions` as fast as the nodes admit them: `clients` loops,
    /// each sending its next batch when the previous one is answered.
    func offerAtMaximum(_ transactions: [PresignedTransaction], batch: Int, clients: Int) async {
        let batches = stride(from: 0, to: transactions.count, by: batch).map { Array(transactions[$0..<min($0 + batch, transactions.count)]) }
        let clock = ContinuousClock()
        await withTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask {
                    for (index, chunk) in batches.enumerated() where index % clients == client {
                        self.tracker.submitted(chunk.map(\.txid), at: clock.now)
                        await self.submit(chunk, to: self.apis[index % self.apis.count])
                    }
                }
            }
        }
    }

    /// One batch, retried until every item is admitted or refused. A full node
    /// is retried after the `Retry-After` it sends, as `civic` does: retrying
    /// sooner only adds load to a cluster that has just said it has too much.
    func submit(_ chunk: [PresignedTransaction], to api: String) async {
        var pending = chunk
        var pause = Duration.zero
        let clock = ContinuousClock()
        let giveUp = clock.now + .seconds(300)
        // Bounded by the deadline: every pass waits at least 100 ms.
        while !pending.isEmpty {
            if pause > .zero {
                retries.withLock { $0 += 1 }
                try? await Task.sleep(for: pause)
            }
            if clock.now >= giveUp {  // five minutes of "full": give up on these, counted as refused
                for item in pending { tracker.refusedAtAdmission(item.txid, code: "GAVE_UP") }
                return
            }
            pause = .milliseconds(100)
            let body = "{\"transactions\":[" + pending.map { "\"\($0.hex)\"" }.joined(separator: ",") + "]}"
            guard let answer = try? await http.send(.POST, "\(api)/v1/transactions/batch", body: body) else { continue }
            if answer.status == 503 {
                pause = .seconds(min(max(answer.retryAfterSeconds ?? 2, 1), 60))
                continue
            }
            guard answer.status == 200, let results = try? JSONDecoder().decode(Results.self, from: answer.data).results,
                  results.count == pending.count
            else {
                for item in pending { tracker.refusedAtAdmission(item.txid, code: "HTTP_\(answer.status)") }
                return
            }
            var retry: [PresignedTransaction] = []
            for (item, result) in zip(pending, results) {
                switch result.status {
                case "accepted", "known": break
                case "full":
                    retry.append(item)
                    pause = .seconds(1)
                default: tracker.refusedAtAdmission(item.txid, code: result.code ?? result.status ?? "?")
                }
            }
            pending = retry
        }
    }
}
