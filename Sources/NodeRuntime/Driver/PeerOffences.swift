import Consensus

/// What each peer did that no correct node does (`DropReason.provesSenderFaulty`),
/// counted by reason, and when the operator was last warned of each.
///
/// Warnings are rate limited per peer and reason: a faulty peer can send
/// thousands of bad frames a second, and a log line for each would bury
/// everything else (and cost this node more than the frames themselves).
/// Time is a monotonic millisecond count passed in, so a wall-clock step
/// neither silences nor floods the log, and tests need no clock.
struct PeerOffences: Sendable {
    struct Key: Hashable, Sendable, Comparable {
        let peer: Int
        let reason: DropReason

        static func < (a: Key, b: Key) -> Bool {
            (a.peer, a.reason.rawValue) < (b.peer, b.reason.rawValue)
        }
    }

    /// At most one warning per peer and reason in this many milliseconds.
    let warnIntervalMillis: UInt64
    private(set) var counts: [Key: UInt64] = [:]
    private var lastWarned: [Key: UInt64] = [:]

    init(warnIntervalMillis: UInt64 = 30_000) {
        self.warnIntervalMillis = warnIntervalMillis
    }

    /// Counts one offence; true when it should be logged: the first of its
    /// kind, or the first since `warnIntervalMillis` after the last warning.
    mutating func record(peer: Int, reason: DropReason, nowMillis: UInt64) -> Bool {
        let key = Key(peer: peer, reason: reason)
        counts[key, default: 0] += 1
        if let last = lastWarned[key], nowMillis < last + warnIntervalMillis { return false }
        lastWarned[key] = nowMillis
        return true
    }

    /// Every non-zero count, ordered by peer then reason.
    var list: [(peer: Int, reason: DropReason, count: UInt64)] {
        counts.keys.sorted().map { ($0.peer, $0.reason, counts[$0]!) }
    }
}
