import NIOCore
import Synchronization

/// Every open connection, so that shutdown can close them all (which also
/// ends handshakes still waiting); the current inbound connection per peer, so
/// that a newer one replaces it; and the count of pending inbound handshakes.
final class ConnectionRegistry: Sendable {
    private struct State {
        var open: [ObjectIdentifier: any Channel] = [:]
        var inboundByPeer: [Int: any Channel] = [:]
        var pendingHandshakes = 0
        var closing = false
    }

    private let state = Mutex(State())

    /// False once shutdown began: the caller must close the channel itself.
    func track(_ channel: any Channel) -> Bool {
        state.withLock { s in
            guard !s.closing else { return false }
            s.open[ObjectIdentifier(channel)] = channel
            return true
        }
    }

    func untrack(_ channel: any Channel) {
        _ = state.withLock { $0.open.removeValue(forKey: ObjectIdentifier(channel)) }
    }

    func beginHandshake(limit: Int) -> Bool {
        state.withLock { s in
            guard s.pendingHandshakes < limit else { return false }
            s.pendingHandshakes += 1
            return true
        }
    }

    func endHandshake() {
        state.withLock { $0.pendingHandshakes -= 1 }
    }

    /// Makes `channel` the peer's inbound connection; returns the one it replaces.
    func replaceInbound(peer: Int, with channel: any Channel) -> (any Channel)? {
        state.withLock { s in
            let previous = s.inboundByPeer[peer]
            s.inboundByPeer[peer] = channel
            return previous
        }
    }

    /// Forgets `channel` as the peer's inbound connection unless a newer one already replaced it.
    func removeInbound(peer: Int, channel: any Channel) {
        state.withLock { s in
            if let current = s.inboundByPeer[peer], current === channel {
                s.inboundByPeer[peer] = nil
            }
        }
    }

    /// Stops tracking new channels and returns every open one for closing.
    func beginClosing() -> [any Channel] {
        state.withLock { s in
            s.closing = true
            return Array(s.open.values)
        }
    }
}
