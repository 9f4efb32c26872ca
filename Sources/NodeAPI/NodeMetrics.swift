import Hummingbird
import Prometheus
import Synchronization

/// The peer network's totals as last seen, so counters move by the growth.
private final class LastTotals: Sendable {
    let state = Mutex<[String: Int]>([:])
}

/// The node's Prometheus metrics, over one registry that `/metrics` exposes.
/// The runtime calls the methods as things happen; the router records each
/// request's latency. Nothing is bootstrapped globally, so two nodes (or two
/// tests) in one process keep separate figures.
public struct NodeMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    private let blockHeight: Gauge
    private let committedTransactions: Counter
    private let view: Gauge
    private let viewChanges: Counter
    private let mempoolSize: Gauge
    private let peerConnections: Gauge
    private let peerFrameTotals = LastTotals()

    static let requestDurationName = "civic_http_request_duration_seconds"
    /// From 1 ms (a cached read) to 30 s (a receipt wait at its cap).
    static let requestBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500),
        .seconds(5), .seconds(10), .seconds(30),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        blockHeight = registry.makeGauge(descriptor: Self.name("civic_block_height", "Height of the last applied block."))
        committedTransactions = registry.makeCounter(
            descriptor: Self.name(
                "civic_committed_transactions_total",
                "Transactions in applied blocks, refused ones included (each has a receipt)."))
        view = registry.makeGauge(descriptor: Self.name("civic_view", "Current PBFT view."))
        viewChanges = registry.makeCounter(descriptor: Self.name("civic_view_changes_total", "PBFT view changes completed."))
        mempoolSize = registry.makeGauge(descriptor: Self.name("civic_mempool_size", "Transactions waiting in the mempool."))
        peerConnections = registry.makeGauge(
            descriptor: Self.name("civic_peer_connections", "Peers with an authenticated connection."))
        // Registered up front so /metrics names the histogram before the first request.
        _ = requestHistogram(route: "/health", method: "GET", status: 200)
    }

    /// The runtime: a block was applied.
    public func blockApplied(height: UInt64, transactions: Int) {
        blockHeight.set(Double(height))
        committedTransactions.increment(by: Int64(max(transactions, 0)))
    }

    /// The runtime: the replica moved to `view`.
    public func viewChanged(to newView: UInt64) {
        view.set(Double(newView))
        viewChanges.increment()
    }

    public func setMempoolSize(_ count: Int) { mempoolSize.set(Double(count)) }

    public func setConnectedPeers(_ count: Int) { peerConnections.set(Double(count)) }

    static let peerOffencesName = "civic_peer_offences_total"

    /// The runtime: peer `peer` (replica index) sent what no correct node sends.
    /// Labels stay bounded: n peers times the fixed set of reasons.
    public func peerOffence(peer: Int, reason: String) {
        registry.makeCounter(
            descriptor: Self.name(Self.peerOffencesName, "Messages from a peer that no correct node sends, by peer and reason."),
            labels: [("peer", PeerOffenceCount.peerName(peer)), ("reason", reason)]
        ).increment()
    }

    static let peerFramesName = "civic_peer_frames_total"
    static let peerFramesDroppedName = "civic_peer_frames_dropped_total"

    /// The runtime, a few times a second: the peer network's running totals
    /// (they only grow). Each counter moves by what its total grew since the
    /// last call. A dropped consensus frame is recovered only by a timer or a
    /// retransmission, so these explain stalls the other metrics cannot.
    /// Labels stay bounded: two directions, a fixed set of drop reasons.
    public func peerFrameTotals(sent: Int, received: Int, dropped: [(reason: String, count: Int)]) {
        let frames = "Frames exchanged with peers, by direction."
        advance(Self.peerFramesName, frames, label: ("direction", "sent"), to: sent)
        advance(Self.peerFramesName, frames, label: ("direction", "received"), to: received)
        for (reason, count) in dropped {
            advance(Self.peerFramesDroppedName, "Frames to or from peers that the node dropped, by reason.", label: ("reason", reason), to: count)
        }
    }

    private func advance(_ name: String, _ help: String, label: (String, String), to total: Int) {
        let key = "\(name) \(label.1)"
        let grown = peerFrameTotals.state.withLock { last -> Int in
            let grown = total - (last[key] ?? 0)
            if grown > 0 { last[key] = total }
            return grown
        }
        // Made even when nothing grew, so /metrics names every series from the first call.
        let counter = registry.makeCounter(descriptor: Self.name(name, help), labels: [label])
        if grown > 0 { counter.increment(by: Int64(grown)) }
    }

    /// Prometheus text exposition format, version 0.0.4.
    public func exposition() -> String { registry.emitToString() }

    /// Labels are bounded: the route is the registered pattern (or
    /// `unmatched`), the method one of a fixed set, the status a number.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        requestHistogram(route: route, method: method, status: status).record(duration)
    }

    private func requestHistogram(route: String, method: String, status: Int) -> DurationHistogram {
        registry.makeDurationHistogram(
            descriptor: Self.name(Self.requestDurationName, "Time to answer an API request, by route, method and status."),
            labels: [("route", route), ("method", method), ("status", String(status))],
            buckets: Self.requestBuckets)
    }

    private static func name(_ full: String, _ help: String) -> MetricNameDescriptor {
        // An empty unit is dropped by the descriptor, so `name` is the full metric name.
        MetricNameDescriptor(metricName: full, unitName: "", helpText: help)
    }
}
