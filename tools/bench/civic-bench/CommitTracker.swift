import Foundation
import Synchronization

/// Which submitted transactions have committed, and when: the submitters
/// note each transaction's submit instant, the watcher its commit instant
/// (when its receipt is first seen in a block of the watched node).
final class CommitTracker: Sendable {
    struct State {
        var pending: [String: ContinuousClock.Instant] = [:]
        var latency = LatencyRecorder()
        var accepted = 0
        var refusedInBlock = 0
        var refusedAtAdmission = 0
        var refusalCodes: [String: Int] = [:]
        var commitInstants: [ContinuousClock.Instant] = []
        var lastCommit: ContinuousClock.Instant?
    }

    let state = Mutex(State())

    func submitted(_ txids: some Sequence<String>, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            // A transaction already pending keeps its first submit instant: a
            // resubmission after "mempool full" is part of its latency.
            for txid in txids where state.pending[txid] == nil { state.pending[txid] = instant }
        }
    }

    /// The node refused it at the door (not "full": that is retried).
    func refusedAtAdmission(_ txid: String, code: String) {
        state.withLock { state in
            guard state.pending.removeValue(forKey: txid) != nil else { return }
            state.refusedAtAdmission += 1
            state.refusalCodes["admission:" + code, default: 0] += 1
        }
    }

    /// A receipt seen in a block. Unknown txids (another client's) are ignored.
    func committed(_ txid: String, accepted: Bool, code: String, at instant: ContinuousClock.Instant) {
        state.withLock { state in
            guard let submitted = state.pending.removeValue(forKey: txid) else { return }
            let elapsed = instant - submitted
            state.latency.record(microseconds: UInt64(max(0, elapsed.components.seconds)) * 1_000_000
                + UInt64(max(0, elapsed.components.attoseconds / 1_000_000_000_000)))
            if accepted { state.accepted += 1 } else {
                state.refusedInBlock += 1
                state.refusalCodes[code, default: 0] += 1
            }
            state.commitInstants.append(instant)
            state.lastCommit = instant
        }
    }

    var pendingCount: Int { state.withLock { $0.pending.count } }

    /// Everything recorded so far, and a fresh start for the next run.
    func take() -> State {
        state.withLock { state in
            let taken = state
            state = State()
            return taken
        }
    }
}
