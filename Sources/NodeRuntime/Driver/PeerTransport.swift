import PeerNetwork

/// What the driver needs from the peer links: fire-and-forget sends (consensus
/// retransmits whatever is lost) and who is connected. `PeerNetwork` is the
/// real one; tests connect drivers in one process with a loopback.
public protocol PeerTransport: Sendable {
    func send(_ bytes: [UInt8], to peer: Int)
    func broadcast(_ bytes: [UInt8])
    func connectedPeers() -> Set<Int>
    /// Shown each frame that arrived from `peer` before the node handles it.
    /// Only a wrapper (`PeerTransportWrapper`) has a use for it.
    func observeInbound(_ bytes: [UInt8], from peer: Int)
}

extension PeerTransport {
    public func observeInbound(_ bytes: [UInt8], from peer: Int) {}
}

extension PeerNetwork: PeerTransport {}

/// Puts a transport between the node and its peer links, given the node's
/// identity (to sign with its key). Only the test-only `civic-byzantine-node`
/// uses it, to misbehave from inside a real node; inbound frames and the
/// network's lifecycle stay with the real `PeerNetwork`.
public typealias PeerTransportWrapper = @Sendable (_ transport: any PeerTransport, _ identity: NodeIdentity) -> any PeerTransport
