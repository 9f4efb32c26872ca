import NodeAPIModel

extension StatusView {
    /// `NodeStatus` with digests as hex.
    init(_ status: NodeStatus) {
        self.init(
            nodeName: status.nodeName, replica: status.replica, chainID: status.chainID, suite: status.suite,
            height: status.height, blockHash: status.blockHash.hex, stateRoot: status.stateRoot.hex,
            blockTimeMillis: status.blockTimeMillis, view: status.view, primary: status.primary,
            changingView: status.changingView, connectedPeers: status.connectedPeers, mempoolSize: status.mempoolSize,
            certifiedHeight: status.certifiedHeight,
            peerOffences: status.peerOffences?.map { PeerOffenceView(peer: $0.peer, reason: $0.reason, count: $0.count) })
    }
}
