import Synchronization

/// The (key, nonce) pairs of signed requests seen recently, so that a captured
/// request cannot be replayed while its timestamp is still acceptable.
///
/// Bounded: at `capacity` the oldest pair is dropped early. Dropping it alone
/// would reopen a replay window for that request, so the cache also keeps a
/// *floor*, the latest timestamp of any pair dropped early, and refuses every
/// request stamped at or before it: a replay of a dropped request is then
/// refused by its timestamp instead. An honest client caught by the floor
/// (only under a flood of signed requests) signs again with the current time.
final class NonceCache: Sendable {
    enum Admission: Equatable, Sendable {
        case fresh
        case reused
        /// Stamped at or before a request the cache had to forget early.
        case belowFloor(UInt64)
    }

    private struct Entry {
        let pair: [UInt8]
        let insertedAt: UInt64
        let timestamp: UInt64
    }

    private struct State {
        var seen: Set<[UInt8]> = []
        /// Insertion order; entries before `head` are gone.
        var order: [Entry] = []
        var head = 0
        var floor: UInt64?

        mutating func dropOldest() -> Entry {
            let entry = order[head]
            seen.remove(entry.pair)
            head += 1
            // Compact now and then so the array does not grow without bound.
            if head >= 1_024, head * 2 >= order.count {
                order.removeFirst(head)
                head = 0
            }
            return entry
        }
    }

    let capacity: Int
    /// How long a pair is kept after it was first seen, in the clock's milliseconds.
    let memoryMillis: UInt64
    private let state = Mutex(State())

    init(capacity: Int, memoryMillis: UInt64) {
        self.capacity = max(capacity, 1)
        self.memoryMillis = memoryMillis
    }

    /// Records the pair unless it is a replay. `timestamp` is the request's own,
    /// `now` the node's clock.
    func admit(key: [UInt8], nonce: [UInt8], timestamp: UInt64, now: UInt64) -> Admission {
        // Length-prefixed so that no (key, nonce) pair collides with another.
        let pair = [UInt8(truncatingIfNeeded: key.count)] + key + nonce
        return state.withLock { state -> Admission in
            while state.head < state.order.count {
                let oldest = state.order[state.head]
                let (expiry, overflow) = oldest.insertedAt.addingReportingOverflow(memoryMillis)
                guard !overflow, expiry <= now else { break }
                _ = state.dropOldest()
            }
            if state.seen.contains(pair) { return .reused }
            if let floor = state.floor, timestamp <= floor { return .belowFloor(floor) }
            while state.seen.count >= capacity {
                let evicted = state.dropOldest()
                state.floor = max(state.floor ?? 0, evicted.timestamp)
            }
            state.seen.insert(pair)
            state.order.append(Entry(pair: pair, insertedAt: now, timestamp: timestamp))
            return .fresh
        }
    }

    var count: Int { state.withLock { $0.seen.count } }
}
