import LedgerCore

/// The cluster's nodes by genesis key: the only way a connection gets a peer index.
struct PeerDirectory: Sendable {
    let selfIndex: Int
    let peers: [PeerAddress]
    private let indexByKey: [[UInt8]: Int]

    init(selfIndex: Int, peers: [PeerAddress]) {
        self.selfIndex = selfIndex
        self.peers = peers
        // Keys are unique: PeerNetworkConfiguration.validate() checked it.
        self.indexByKey = Dictionary(peers.map { ($0.nodeKey, $0.index) }, uniquingKeysWith: { first, _ in first })
    }

    func index(boundTo key: [UInt8]) -> Int? { indexByKey[key] }

    func peer(_ index: Int) -> PeerAddress? { peers.first { $0.index == index } }

    var others: [PeerAddress] { peers.filter { $0.index != selfIndex } }
}

/// Whom the other end of a connection must prove to be.
enum ExpectedPeer: Sendable {
    /// Accepting: any node of the cluster except ourselves.
    case anyPeerOf(PeerDirectory)
    /// Dialing: exactly the node we dialed.
    case exactly(PeerAddress)

    /// The peer index the bound key proves, or why it proves none.
    func check(boundKey key: [UInt8]) -> Result<Int, HandshakeRefusal> {
        switch self {
        case let .anyPeerOf(directory):
            guard let index = directory.index(boundTo: key) else { return .failure(.unknownNodeKey(key)) }
            guard index != directory.selfIndex else { return .failure(.ownNodeKey) }
            return .success(index)
        case let .exactly(peer):
            guard key == peer.nodeKey else { return .failure(.wrongNodeKey(expected: peer.index, found: key)) }
            return .success(peer.index)
        }
    }
}

/// Why a connection was closed before it carried a frame; logged, never thrown to callers.
enum HandshakeRefusal: Error, Equatable, CustomStringConvertible {
    case tls(String)
    case noPeerCertificate
    case unreadableCertificate(String)
    case noGenesisKeyBinding
    case unknownNodeKey([UInt8])
    case ownNodeKey
    case wrongNodeKey(expected: Int, found: [UInt8])
    case timedOut(Duration)
    case closedDuringHandshake
    case tooManyPendingHandshakes(limit: Int)

    var description: String {
        switch self {
        case let .tls(reason):
            return "TLS handshake failed: \(reason)"
        case .noPeerCertificate:
            return "no peer certificate after the handshake"
        case let .unreadableCertificate(reason):
            return "peer certificate cannot be parsed: \(reason)"
        case .noGenesisKeyBinding:
            return "peer certificate has no genesis key binding"
        case let .unknownNodeKey(key):
            return "peer certificate binds node key \(Hex.encode(key)), which is not in the peer list"
        case .ownNodeKey:
            return "peer certificate binds this node's own key"
        case let .wrongNodeKey(expected, found):
            return "dialed peer \(expected) but its certificate binds node key \(Hex.encode(found))"
        case let .timedOut(limit):
            return "connect and handshake took longer than \(limit)"
        case .closedDuringHandshake:
            return "connection closed during the handshake"
        case let .tooManyPendingHandshakes(limit):
            return "already \(limit) handshakes in progress"
        }
    }
}
