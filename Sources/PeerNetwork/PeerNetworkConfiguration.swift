/// How one node takes part in the peer network. Every node of a cluster must use
/// the same `maxFrameBytes`: a receiver closes a connection that sends a larger frame.
public struct PeerNetworkConfiguration: Sendable {
    public var selfIndex: Int
    public var listenHost: String
    /// 0 = ephemeral (tests); `start()` returns the bound port.
    public var listenPort: Int
    /// Every node of the cluster; the entry with `selfIndex` is skipped for dialing.
    public var peers: [PeerAddress]
    public var identity: TLSIdentity
    public var maxFrameBytes: Int = 32 << 20
    /// Per peer: frames accepted by `send` and not yet handed to the socket.
    public var outboundQueueFrames: Int = 4096
    public var outboundQueueBytes: Int = 128 << 20
    /// Frames received and not yet taken from `inbound`, all peers together.
    public var inboundBufferFrames: Int = 8192
    public var reconnectInitial: Duration = .milliseconds(50)
    public var reconnectMax: Duration = .seconds(2)
    /// Bounds TCP connect and TLS handshake together, on both sides.
    public var handshakeTimeout: Duration = .seconds(5)
    /// Accepted connections still in their handshake; more are closed at once,
    /// so strangers cannot hold an unbounded number of sockets open.
    public var maxPendingHandshakes: Int = 64

    static let maxPeers = 1024

    public init(
        selfIndex: Int, listenHost: String, listenPort: Int, peers: [PeerAddress], identity: TLSIdentity,
        maxFrameBytes: Int = 32 << 20, outboundQueueFrames: Int = 4096, outboundQueueBytes: Int = 128 << 20,
        inboundBufferFrames: Int = 8192, reconnectInitial: Duration = .milliseconds(50),
        reconnectMax: Duration = .seconds(2), handshakeTimeout: Duration = .seconds(5),
        maxPendingHandshakes: Int = 64
    ) {
        self.selfIndex = selfIndex
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.peers = peers
        self.identity = identity
        self.maxFrameBytes = maxFrameBytes
        self.outboundQueueFrames = outboundQueueFrames
        self.outboundQueueBytes = outboundQueueBytes
        self.inboundBufferFrames = inboundBufferFrames
        self.reconnectInitial = reconnectInitial
        self.reconnectMax = reconnectMax
        self.handshakeTimeout = handshakeTimeout
        self.maxPendingHandshakes = maxPendingHandshakes
    }

    /// Checked by `start()`, so that a bad configuration is one clear error
    /// rather than a cluster that silently never connects.
    func validate() throws(PeerNetworkError) {
        guard (1...Self.maxPeers).contains(peers.count) else {
            throw .invalidConfiguration("peers must list 1 to \(Self.maxPeers) nodes, got \(peers.count)")
        }
        guard Set(peers.map(\.index)).count == peers.count else {
            throw .invalidConfiguration("peers: two entries share an index")
        }
        guard Set(peers.map(\.nodeKey)).count == peers.count else {
            throw .invalidConfiguration("peers: two entries share a node key")
        }
        guard let me = peers.first(where: { $0.index == selfIndex }) else {
            throw .invalidConfiguration("selfIndex \(selfIndex) is not in peers")
        }
        guard me.nodeKey == identity.nodeKey else {
            throw .invalidConfiguration(
                "the node certificate binds a different genesis key than peers[\(selfIndex)].nodeKey; "
                    + "was the certificate issued for another node?")
        }
        for peer in peers where peer.index != selfIndex {
            guard (1...65_535).contains(peer.port) else {
                throw .invalidConfiguration("peer \(peer.index): port \(peer.port) is not 1 to 65535")
            }
            guard !peer.host.isEmpty else { throw .invalidConfiguration("peer \(peer.index): empty host") }
        }
        guard (0...65_535).contains(listenPort) else {
            throw .invalidConfiguration("listenPort \(listenPort) is not 0 to 65535")
        }
        guard (1...Int(Int32.max)).contains(maxFrameBytes) else {
            throw .invalidConfiguration("maxFrameBytes must be 1 to \(Int32.max), got \(maxFrameBytes)")
        }
        guard outboundQueueFrames >= 1, inboundBufferFrames >= 1, maxPendingHandshakes >= 1 else {
            throw .invalidConfiguration("outboundQueueFrames, inboundBufferFrames and maxPendingHandshakes must be at least 1")
        }
        guard outboundQueueBytes >= maxFrameBytes else {
            throw .invalidConfiguration(
                "outboundQueueBytes (\(outboundQueueBytes)) must be at least maxFrameBytes (\(maxFrameBytes)), "
                    + "or a frame of legal size could never be sent")
        }
        guard reconnectInitial > .zero, reconnectMax >= reconnectInitial, handshakeTimeout > .zero else {
            throw .invalidConfiguration("need 0 < reconnectInitial <= reconnectMax and handshakeTimeout > 0")
        }
    }
}
