import ChaosKit
import CivicClient
import NodeAPIModel

/// Reads back, from every node, what the audit compares once the faults are
/// healed and the load has stopped: the head, every block's hash and
/// receipts, and the history of every invoice the load issued.
struct CampaignObserver {
    let clients: [Int: NodeClient]
    static let convergenceLimit: Duration = .seconds(120)
    /// Requests in flight per node while reading back.
    static let concurrency = 16
    /// A read that fails is retried this often before the node is reported as not answering.
    static let attempts = 5

    struct Unanswered: Error, CustomStringConvertible {
        let description: String
    }

    /// Waits until every node reports the same height and state root twice in
    /// a row, a second apart (nothing is still arriving). Bounded.
    func waitConverged() async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + Self.convergenceLimit
        var previous: String?
        while clock.now < deadline {
            var heads = Set<String>()
            var answered = 0
            for client in clients.values {
                if let status = try? await client.status() {
                    answered += 1
                    heads.insert("\(status.height) \(status.stateRoot)")
                }
            }
            if answered == clients.count, heads.count == 1 {
                if previous == heads.first { return true }
                previous = heads.first
            } else {
                previous = nil
            }
            try? await Task.sleep(for: .seconds(1))
        }
        return false
    }

    func observe(node: Int, invoices: [String]) async throws -> NodeObservation {
        guard let client = clients[node] else { throw Unanswered(description: "no client for node\(node)") }
        let status = try await retrying("status of node\(node)") { try await client.status() }
        let height = status.height
        var receipts: [String: String] = [:]
        var receiptHeights: [String: UInt64] = [:]
        var hashes: [UInt64: String] = [:]
        // Blocks in windows of `concurrency`, so one slow answer does not hold the rest.
        var next: UInt64 = 1
        while next <= height {
            let window = next...min(height, next + UInt64(Self.concurrency) - 1)
            try await withThrowingTaskGroup(of: (BlockView, BlockReceiptsView).self) { group in
                for h in window {
                    group.addTask {
                        let block = try await retrying("block \(h) of node\(node)") { try await client.block(height: h) }
                        let rs = try await retrying("receipts \(h) of node\(node)") { try await client.receipts(height: h) }
                        return (block, rs)
                    }
                }
                for try await (block, rs) in group {
                    hashes[block.height] = block.blockHash
                    // A transaction ordered twice (possible after a restart or a
                    // state transfer) has a REPLAY receipt at its later height;
                    // its outcome, and what a node acknowledged, is the first.
                    for receipt in rs.receipts where receiptHeights[receipt.txid].map({ block.height < $0 }) ?? true {
                        receipts[receipt.txid] = receipt.code
                        receiptHeights[receipt.txid] = block.height
                    }
                }
            }
            next = window.upperBound + 1
        }
        var histories: [String: [String]] = [:]
        var index = 0
        while index < invoices.count {
            let window = invoices[index..<min(invoices.count, index + Self.concurrency)]
            try await withThrowingTaskGroup(of: (String, [String]?).self) { group in
                for invoice in window {
                    group.addTask {
                        let parts = invoice.split(separator: "-").map(String.init)
                        // A node that does not know the invoice is a finding for the
                        // audit (its history is missing there), not a failed read.
                        let trace = try await retrying("invoice \(invoice) of node\(node)") { () async throws -> InvoiceTraceView? in
                            do throws(ClientError) { return try await client.invoice(code: parts[0], number: parts[1]) } catch {
                                if case .refused(404, _, _) = error { return nil }
                                throw error
                            }
                        }
                        return (invoice, trace?.trace.map(\.status))
                    }
                }
                for try await (invoice, statuses) in group { histories[invoice] = statuses }
            }
            index += Self.concurrency
        }
        return NodeObservation(
            node: node, height: height, stateRoot: status.stateRoot, receipts: receipts, blockHashes: hashes,
            invoiceHistories: histories,
            offences: (status.peerOffences ?? []).map {
                NodeObservation.Offence(peer: $0.peer + 1, reason: $0.reason, count: $0.count)
            })
    }

    private func retrying<T: Sendable>(_ what: String, _ body: @Sendable () async throws -> T) async throws -> T {
        var last: (any Error)?
        for attempt in 0..<Self.attempts {
            do { return try await body() } catch {
                last = error
                try await Task.sleep(for: .milliseconds(200 * (attempt + 1)))
            }
        }
        throw Unanswered(description: "\(what): \(last.map { "\($0)" } ?? "no answer")")
    }
}
