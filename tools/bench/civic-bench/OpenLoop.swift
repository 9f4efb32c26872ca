/// The fixed-rate schedule both the ledger and the etcd load follow, so the
/// two are offered load the same way: every `tickMillis` the items due by
/// then are released, whether or not earlier ones were answered (open-loop),
/// and each carries its scheduled instant, from which its latency counts (no
/// coordinated omission).
enum OpenLoop {
    /// Calls `release` with the indices due at each tick, the tick's
    /// scheduled instant and its number (from 1), until `count` are released.
    static func pace(
        count: Int, rate: Int, tickMillis: Int = 10,
        _ release: (_ due: Range<Int>, _ scheduled: ContinuousClock.Instant, _ tick: Int) -> Void
    ) async {
        let clock = ContinuousClock()
        let start = clock.now
        var sent = 0
        var tick = 0
        while sent < count {
            tick += 1
            let due = min(count, Int(Double(rate) * Double(tick * tickMillis) / 1000))
            if due > sent {
                release(sent..<due, start + .milliseconds((tick - 1) * tickMillis), tick)
                sent = due
            }
            try? await clock.sleep(until: start + .milliseconds(tick * tickMillis))
        }
    }
}
