/// Capped exponential backoff with jitter for redialing one peer.
///
/// Jitter (each wait is 50–100% of the nominal delay) keeps the nodes of a
/// cluster that lost a peer at the same moment from redialing in lockstep.
struct Backoff {
    let initial: Duration
    let maximum: Duration
    private var nominal: Duration

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
        self.nominal = initial
    }

    mutating func next() -> Duration {
        let wait = nominal * Double.random(in: 0.5...1.0)
        nominal = min(nominal * 2, maximum)
        return wait
    }

    mutating func reset() {
        nominal = initial
    }
}
