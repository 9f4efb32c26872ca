import LedgerCore

/// One node of the cluster as genesis and the node's configuration describe it.
///
/// `nodeKey` is the genesis node key in the exact SEC1 encoding the node
/// certificates bind (genesis uses 33-byte compressed keys); it is compared
/// byte for byte, so the peer list and the certificates must use the same form.
public struct PeerAddress: Sendable, Hashable, CustomStringConvertible {
    public let index: Int
    public let host: String
    public let port: Int
    public let nodeKey: [UInt8]

    public init(index: Int, host: String, port: Int, nodeKey: [UInt8]) {
        self.index = index
        self.host = host
        self.port = port
        self.nodeKey = nodeKey
    }

    public var description: String { "peer \(index) at \(host):\(port) (node key \(Hex.encode(nodeKey)))" }
}
