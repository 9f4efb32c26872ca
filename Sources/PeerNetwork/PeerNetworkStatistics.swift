import Synchronization

/// Counters since `init`, for metrics and tests. Byte counts are payload bytes,
/// without the 4-byte length prefix.
public struct PeerNetworkStatistics: Sendable, Hashable {
    /// Frames handed to an authenticated outbound connection.
    public var framesSent = 0
    public var bytesSent = 0
    /// Frames decoded from authenticated peers, including those then dropped
    /// because `inbound` was full.
    public var framesReceived = 0
    public var bytesReceived = 0
    /// `send` found the peer's outbound queue over its frame or byte limit.
    public var droppedQueueFull = 0
    /// `send` found no authenticated link to the peer (or no such peer, or
    /// self), or the link went down with the frame still queued.
    public var droppedNotConnected = 0
    /// `send` was given an empty frame or one over `maxFrameBytes`, which the
    /// receiver would treat as a protocol violation.
    public var droppedInvalidSize = 0
    /// Received frames dropped because the consumer of `inbound` lagged by
    /// more than `inboundBufferFrames`.
    public var droppedInboundFull = 0
    /// Accepted connections closed before any frame was taken from them: TLS
    /// handshake failed (wrong CA, no certificate, not TLS 1.3), no or unknown
    /// genesis key binding, our own key, handshake timeout, or too many
    /// handshakes pending.
    public var refusedHandshakes = 0
    /// Dialed connections closed because the TLS handshake failed (usually: the
    /// server's certificate does not chain to the cluster CA) or the server's
    /// certificate binds another key than the peer we dialed. Connects that
    /// fail, time out or are closed mid-handshake are not counted: that is a
    /// peer being down, not a peer being refused.
    public var refusedServers = 0
    /// Connections closed because a frame's length was 0 or over `maxFrameBytes`.
    public var malformedFrames = 0
    /// Dial attempts after the first, over all peers (each one follows a
    /// failed attempt or a lost link).
    public var reconnects = 0

    public init() {}
}

/// The live counters behind `PeerNetworkStatistics`; lock-free so that `send`
/// and the event loops never wait on each other to count.
final class StatisticsCounters: Sendable {
    let framesSent = Atomic<Int>(0)
    let bytesSent = Atomic<Int>(0)
    let framesReceived = Atomic<Int>(0)
    let bytesReceived = Atomic<Int>(0)
    let droppedQueueFull = Atomic<Int>(0)
    let droppedNotConnected = Atomic<Int>(0)
    let droppedInvalidSize = Atomic<Int>(0)
    let droppedInboundFull = Atomic<Int>(0)
    let refusedHandshakes = Atomic<Int>(0)
    let refusedServers = Atomic<Int>(0)
    let malformedFrames = Atomic<Int>(0)
    let reconnects = Atomic<Int>(0)

    func snapshot() -> PeerNetworkStatistics {
        var s = PeerNetworkStatistics()
        s.framesSent = framesSent.load(ordering: .relaxed)
        s.bytesSent = bytesSent.load(ordering: .relaxed)
        s.framesReceived = framesReceived.load(ordering: .relaxed)
        s.bytesReceived = bytesReceived.load(ordering: .relaxed)
        s.droppedQueueFull = droppedQueueFull.load(ordering: .relaxed)
        s.droppedNotConnected = droppedNotConnected.load(ordering: .relaxed)
        s.droppedInvalidSize = droppedInvalidSize.load(ordering: .relaxed)
        s.droppedInboundFull = droppedInboundFull.load(ordering: .relaxed)
        s.refusedHandshakes = refusedHandshakes.load(ordering: .relaxed)
        s.refusedServers = refusedServers.load(ordering: .relaxed)
        s.malformedFrames = malformedFrames.load(ordering: .relaxed)
        s.reconnects = reconnects.load(ordering: .relaxed)
        return s
    }
}

extension Atomic where Value == Int {
    /// Counters are read only as a snapshot for humans; no ordering with other memory is needed.
    func count(_ amount: Int = 1) {
        add(amount, ordering: .relaxed)
    }
}
