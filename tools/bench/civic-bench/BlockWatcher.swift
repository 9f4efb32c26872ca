import Foundation
import NodeAPIModel
import Synchronization

/// Follows one node's chain: polls `/v1/status` every few milliseconds and
/// reads each new block's receipts, telling the tracker what committed.
/// The commit instant is when the receipt is read, so latency includes up to
/// one poll interval and the receipts request (a few ms on loopback).
final class BlockWatcher: Sendable {
    let http: BenchHTTP
    let api: String
    let tracker: CommitTracker
    let pollMillis: Int
    let lastHeight: Mutex<UInt64>
    let blocks = Mutex<[(height: UInt64, transactions: Int)]>([])

    init(http: BenchHTTP, api: String, tracker: CommitTracker, fromHeight: UInt64, pollMillis: Int) {
        self.http = http
        self.api = api
        self.tracker = tracker
        self.pollMillis = pollMillis
        lastHeight = Mutex(fromHeight)
    }

    struct Status: Decodable { let height: UInt64 }

    var height: UInt64 { lastHeight.withLock { $0 } }

    /// Runs until the task is cancelled; errors (a node busy past its timeout)
    /// are retried at the next poll.
    func run() async {
        let clock = ContinuousClock()
        while !Task.isCancelled {
            do {
                let head = try await http.json(Status.self, "\(api)/v1/status").height
                var next = height + 1
                while next <= head {
                    let receipts = try await http.json(BlockReceiptsView.self, "\(api)/v1/blocks/\(next)/receipts")
                    let now = clock.now
                    for receipt in receipts.receipts {
                        tracker.committed(receipt.txid, accepted: receipt.accepted, code: receipt.code, at: now)
                    }
                    let height = next
                    blocks.withLock { $0.append((height, receipts.receipts.count)) }
                    lastHeight.withLock { $0 = height }
                    next += 1
                }
            } catch {}
            try? await Task.sleep(for: .milliseconds(pollMillis))
        }
    }

    func takeBlocks() -> [(height: UInt64, transactions: Int)] {
        blocks.withLock { taken in
            defer { taken = [] }
            return taken
        }
    }
}
