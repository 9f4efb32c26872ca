import PeerNetwork
import Testing

@Suite("Malformed frames")
struct MalformedFrameTests {
    @Test("A peer sending a frame over the cap, or of length 0, is disconnected; the listener keeps serving")
    func badLengths() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            let logs = CapturedLogs()
            let node = cluster.network(0, logs: logs)
            let inbox = Inbox(node)
            try await startAll([node], cluster: cluster)
            let limit = UInt32(cluster.configuration(for: 0).maxFrameBytes)

            // Hand-driven clients with node 1's genuine certificate: authenticated
            // as peer 1, so their first, valid frame is delivered.
            for (round, badLength) in [limit + 1, 0].enumerated() {
                let client = try await RawTLSClient.connect(
                    port: cluster.peers[0].port, certificate: cluster.issued[1], trustingCA: cluster.ca.certificatePEM)
                try await client.handshake.get()
                try await client.writeFrame(length: 4, payload: [0, 0, 0, UInt8(round)])
                try await inbox.waitFor(round + 1, from: 1)
                try await client.writeFrame(length: badLength, payload: [1, 2, 3, 4])
                #expect(await client.closedByPeer(), "node 0 kept a connection open after a frame of length \(badLength)")
                try await waitUntil("node 0 counted \(round + 1) malformed frames") {
                    node.statistics().malformedFrames == round + 1
                }
            }
            #expect(inbox.from(1) == [[0, 0, 0, 0], [0, 0, 0, 1]])
            #expect(logs.contains(level: .warning, "malformed frame", "frame length \(limit + 1) is over the limit of \(limit) bytes"))
            #expect(logs.contains(level: .warning, "malformed frame", "frame length 0"))
            #expect(node.statistics().refusedHandshakes == 0)

            // The real node 1 still connects and its frames are delivered.
            let peer = cluster.network(1)
            try await startAll([peer], cluster: cluster, indexes: [1])
            try await waitUntil("node 1 is linked to node 0") { peer.connectedPeers() == [0] }
            peer.send(payload(from: 1, to: 0, 7), to: 0)
            try await inbox.waitFor(3, from: 1)
            #expect(inbox.from(1).last == payload(from: 1, to: 0, 7))
            await shutdownAll([node, peer])
        }
    }
}
