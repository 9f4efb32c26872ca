import PeerNetwork

/// What the driver needs from the peer links: fire-and-forget sends (consensus
/// retransmits whatever is lost) and who is connected. `PeerNetwork` is the
/// real one; tests connect drivers in one process with a loopback.
public protocol PeerTransport: Sendable {
    func send(_ bytes: [UInt8], to peer: Int)
    func broadcast(_ bytes: [UInt8])
    func connectedPeers() -> Set<Int>
}

extension PeerNetwork: PeerTransport {}
