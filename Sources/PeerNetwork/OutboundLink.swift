import NIOCore
import Synchronization

/// One peer's outbound side: the bounded queue that `send` fills without ever
/// waiting, and the connection task drains onto the socket.
///
/// Frames are accepted only while an authenticated connection is attached;
/// frames still queued when it goes away are dropped (consensus retransmits).
/// Frames the writer has taken but not yet handed to the channel still count
/// against the limits, so the limits bound everything between `send` and NIO.
final class OutboundLink: Sendable {
    enum Admission: Equatable {
        case queued
        case notConnected
        case full
    }

    struct Batch {
        var frames: [[UInt8]] = []
        var bytes = 0
    }

    private struct State {
        /// Non-nil exactly while an authenticated connection is attached.
        var doorbell: AsyncStream<Void>.Continuation?
        var queue = CircularBuffer<[UInt8]>()
        var queuedBytes = 0
        var inFlightFrames = 0
        var inFlightBytes = 0
    }

    let peer: PeerAddress
    private let frameLimit: Int
    private let byteLimit: Int
    private let state = Mutex(State())

    init(peer: PeerAddress, frameLimit: Int, byteLimit: Int) {
        self.peer = peer
        self.frameLimit = frameLimit
        self.byteLimit = byteLimit
    }

    var isConnected: Bool { state.withLock { $0.doorbell != nil } }

    func enqueue(_ frame: [UInt8]) -> Admission {
        let (admission, doorbell): (Admission, AsyncStream<Void>.Continuation?) = state.withLock { s in
            guard let doorbell = s.doorbell else { return (.notConnected, nil) }
            guard s.queue.count + s.inFlightFrames < frameLimit,
                s.queuedBytes + s.inFlightBytes + frame.count <= byteLimit
            else { return (.full, nil) }
            s.queue.append(frame)
            s.queuedBytes += frame.count
            return (.queued, doorbell)
        }
        // Outside the lock: the writer may be waking on another thread.
        doorbell?.yield()
        return admission
    }

    /// Marks the link up; the stream rings whenever frames are waiting and
    /// ends when the link is detached.
    func attach() -> AsyncStream<Void> {
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let previous = state.withLock { s in
            let previous = s.doorbell
            s.doorbell = continuation
            return previous
        }
        previous?.finish()
        return stream
    }

    /// Frames for one write: at least one if any wait, then more while under
    /// `maxFrames` and `maxBytes`.
    func takeBatch(maxFrames: Int, maxBytes: Int) -> Batch {
        state.withLock { s in
            var batch = Batch()
            while let next = s.queue.first, batch.frames.count < maxFrames,
                batch.frames.isEmpty || batch.bytes + next.count <= maxBytes
            {
                s.queue.removeFirst()
                batch.frames.append(next)
                batch.bytes += next.count
            }
            s.queuedBytes -= batch.bytes
            s.inFlightFrames += batch.frames.count
            s.inFlightBytes += batch.bytes
            return batch
        }
    }

    func batchWritten(_ batch: Batch) {
        state.withLock { s in
            s.inFlightFrames -= batch.frames.count
            s.inFlightBytes -= batch.bytes
        }
    }

    /// Marks the link down and empties it; returns how many frames were
    /// dropped (queued, or taken by a write that did not complete).
    func detach() -> Int {
        let (doorbell, dropped) = state.withLock { s in
            let doorbell = s.doorbell
            let dropped = s.queue.count + s.inFlightFrames
            s = State()
            return (doorbell, dropped)
        }
        doorbell?.finish()
        return dropped
    }
}
