import Synchronization

/// A request budget per key: a token bucket for each key that signs requests,
/// so one key cannot keep a node busy with signed reads (each costs a
/// signature check and a query) however fast it asks.
///
/// Counted only for correctly signed requests, so nobody can spend another
/// key's budget. Bounded: at `capacity` keys, buckets that have refilled are
/// forgotten (they hold nothing a new bucket would not); if none has, the
/// oldest is. A forgotten key starts again with a full bucket, which only
/// ever gives it more, never less.
final class KeyRateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: UInt64
    }

    let perSecond: Double
    let burst: Double
    let capacity: Int
    private let buckets = Mutex<[[UInt8]: Bucket]>([:])

    init(perSecond: Int, burst: Int, capacity: Int) {
        self.perSecond = Double(max(perSecond, 1))
        self.burst = Double(max(burst, 1))
        self.capacity = max(capacity, 1)
    }

    /// Spends one request of `key`'s budget; nil when it may go ahead, else the
    /// whole seconds until it may (at least 1).
    func take(_ key: [UInt8], now: UInt64) -> Int? {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = Double(now > bucket.updated ? now - bucket.updated : 0) / 1_000
            bucket.tokens = min(burst, bucket.tokens + elapsed * perSecond)
            bucket.updated = max(bucket.updated, now)
            guard bucket.tokens >= 1 else {
                buckets[key] = bucket
                return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            if buckets[key] == nil, buckets.count >= capacity { evict(&buckets, now: now) }
            buckets[key] = bucket
            return nil
        }
    }

    var trackedKeys: Int { buckets.withLock { $0.count } }

    private func evict(_ buckets: inout [[UInt8]: Bucket], now: UInt64) {
        let full = buckets.filter { _, bucket in
            bucket.tokens + Double(now > bucket.updated ? now - bucket.updated : 0) / 1_000 * perSecond >= burst
        }
        if !full.isEmpty {
            for key in full.keys { buckets[key] = nil }
        } else if let oldest = buckets.min(by: { $0.value.updated < $1.value.updated })?.key {
            buckets[oldest] = nil
        }
    }
}
