import PeerNetwork
import Testing

@Suite("Down, restarted and slow peers")
struct LinkFailureTests {
    @Test("A peer that shuts down and restarts on the same port is reconnected to, and frames flow again")
    func restart() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            let node = cluster.network(0)
            let inbox = Inbox(node)
            let first = cluster.network(1)
            try await startAll([node, first], cluster: cluster)
            try await waitUntil("both nodes linked") { node.connectedPeers() == [1] && first.connectedPeers() == [0] }
            node.send(payload(from: 0, to: 1, 0), to: 1)
            first.send(payload(from: 1, to: 0, 0), to: 0)
            try await inbox.waitFor(1, from: 1)

            await first.shutdown()
            try await waitUntil("node 0 noticed node 1 is gone") { node.connectedPeers().isEmpty }
            let droppedBefore = node.statistics().droppedNotConnected
            node.send(payload(from: 0, to: 1, 1), to: 1)
            #expect(node.statistics().droppedNotConnected == droppedBefore + 1)

            // A new process would build a new PeerNetwork from the same configuration.
            let peer = cluster.network(1)
            let peerInbox = Inbox(peer)
            try await startAll([peer], cluster: cluster, indexes: [1])
            try await waitUntil("both nodes linked again") { node.connectedPeers() == [1] && peer.connectedPeers() == [0] }
            // The link came back, so node 0 dialed at least twice. (Comparing with a count
            // taken while node 1 was down would race with a redial already under way.)
            #expect(node.statistics().reconnects >= 1)
            node.send(payload(from: 0, to: 1, 2), to: 1)
            peer.send(payload(from: 1, to: 0, 2), to: 0)
            try await peerInbox.waitFor(1, from: 0)
            try await inbox.waitFor(2, from: 1)
            #expect(peerInbox.from(0) == [payload(from: 0, to: 1, 2)])
            #expect(inbox.from(1) == [payload(from: 1, to: 0, 0), payload(from: 1, to: 0, 2)])
            await shutdownAll([node, peer])
        }
    }

    @Test("send to a down, unknown or own index returns at once, drops and counts")
    func sendToDownPeer() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            let node = cluster.network(0)
            try await startAll([node], cluster: cluster)
            // send is synchronous: returning at all is what "never blocks" means here.
            for sequence in 0..<1000 {
                node.send(payload(from: 0, to: 1, sequence), to: 1)
            }
            node.send([1], to: 7)
            node.send([1], to: 0)
            node.broadcast([1])
            let stats = node.statistics()
            #expect(stats.droppedNotConnected == 1003)
            #expect(stats.framesSent == 0 && stats.droppedQueueFull == 0)
            #expect(node.connectedPeers().isEmpty)
            await node.shutdown()
        }
    }

    @Test("A peer that stops reading fills only its own bounded queue; other peers and the caller carry on")
    func slowPeer() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 3, dir: dir)
            var configuration = cluster.configuration(for: 0)
            configuration.maxFrameBytes = 1 << 20
            configuration.outboundQueueBytes = 4 << 20
            configuration.outboundQueueFrames = 64
            let node = PeerNetwork(configuration: configuration, logger: testLogger("node0"))
            let fast = cluster.network(2)
            let fastInbox = Inbox(fast)
            // Node 1 completes its handshakes, then never reads again.
            let stalled = try await StalledTLSServer.start(
                port: cluster.peers[1].port, certificate: cluster.issued[1], trustingCA: cluster.ca.certificatePEM)
            try await startAll([node, fast], cluster: cluster, indexes: [0, 2])
            try await waitUntil("node 0 linked to nodes 1 and 2") { node.connectedPeers() == [1, 2] }

            // 100 MiB at a peer that reads nothing, paced so that the writer gets
            // every chance to hand more to NIO: far more than node 1's queue, the
            // socket buffers and NIO's write buffer can hold together.
            let big = [UInt8](repeating: 0x5a, count: 512 << 10)
            for _ in 0..<200 {
                node.send(big, to: 1)
                try await Task.sleep(for: .milliseconds(2))
            }
            for sequence in 0..<50 {
                node.send(payload(from: 0, to: 2, sequence), to: 2)
            }
            try await fastInbox.waitFor(50, from: 0)
            #expect(fastInbox.from(0) == (0..<50).map { payload(from: 0, to: 2, $0) })
            #expect(node.connectedPeers() == [1, 2])

            // Node 1's queue is still full after all that: its writer is stuck
            // behind the shut TCP window, not draining.
            let before = node.statistics()
            #expect(before.droppedQueueFull > 0)
            node.send(big, to: 1)
            #expect(node.statistics().droppedQueueFull == before.droppedQueueFull + 1)

            // When the stalled peer goes away, what was still queued for it is dropped,
            // and every frame given to send is accounted for exactly once.
            await stalled.close()
            @Sendable func accounted() -> Int {
                let stats = node.statistics()
                return stats.framesSent + stats.droppedQueueFull + stats.droppedNotConnected
            }
            try await waitUntil("node 0 dropped its link to node 1 and accounted for all 251 frames") {
                !node.connectedPeers().contains(1) && accounted() >= 251
            }
            #expect(accounted() == 251)
            let stats = node.statistics()
            #expect(stats.droppedNotConnected > 0)
            #expect(stats.droppedInvalidSize == 0)
            await shutdownAll([node, fast])
        }
    }
}
