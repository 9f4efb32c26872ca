/// `NodeStatus` with digests as hex.
struct StatusView: Encodable, Sendable {
    let nodeName: String
    let replica: Int
    let chainID: String
    let suite: String
    let height: UInt64
    let blockHash: String
    let stateRoot: String
    let blockTimeMillis: UInt64
    let view: UInt64
    let primary: Int
    let changingView: Bool
    let connectedPeers: [Int]
    let mempoolSize: Int

    init(_ status: NodeStatus) {
        nodeName = status.nodeName
        replica = status.replica
        chainID = status.chainID
        suite = status.suite
        height = status.height
        blockHash = status.blockHash.hex
        stateRoot = status.stateRoot.hex
        blockTimeMillis = status.blockTimeMillis
        view = status.view
        primary = status.primary
        changingView = status.changingView
        connectedPeers = status.connectedPeers
        mempoolSize = status.mempoolSize
    }
}

struct HealthView: Encodable, Sendable {
    let status: String
    let height: UInt64
    let view: UInt64
    let changingView: Bool
}
