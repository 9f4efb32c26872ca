import PeerNetwork
import Testing

@Suite("Frame exchange")
struct FrameExchangeTests {
    @Test("Three nodes connect to each other and exchange frames in both directions, including 1 MiB")
    func threeNodes() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 3, dir: dir)
            let networks = (0..<3).map { cluster.network($0) }
            let inboxes = networks.map(Inbox.init)
            try await startAll(networks, cluster: cluster)

            for (index, network) in networks.enumerated() {
                let others = Set(0..<3).subtracting([index])
                try await waitUntil("node \(index) has outbound links to \(others.sorted())") {
                    network.connectedPeers() == others
                }
            }

            let big = payload(from: 0, to: 9, 0, size: 1 << 20)
            for sender in 0..<3 {
                for receiver in 0..<3 where receiver != sender {
                    for sequence in 0..<20 {
                        networks[sender].send(payload(from: sender, to: receiver, sequence), to: receiver)
                    }
                }
            }
            networks[0].send(big, to: 2)
            networks[2].send(big, to: 0)
            networks[1].broadcast(payload(from: 1, to: 99, 0))

            for receiver in 0..<3 {
                for sender in 0..<3 where sender != receiver {
                    var expected = (0..<20).map { payload(from: sender, to: receiver, $0) }
                    if sender == 1 { expected.append(payload(from: 1, to: 99, 0)) }
                    if (sender, receiver) == (0, 2) || (sender, receiver) == (2, 0) { expected.append(big) }
                    try await inboxes[receiver].waitFor(expected.count, from: sender)
                    // Arrival order per peer is send order.
                    #expect(inboxes[receiver].from(sender) == expected, "frames from \(sender) at \(receiver)")
                }
            }

            // A sender counts a frame once its write returns, which can be just after the receiver has it.
            try await waitUntil("senders counted their frames") {
                networks[0].statistics().framesSent == 41 && networks[1].statistics().framesSent == 42
            }
            let stats = networks.map { $0.statistics() }
            #expect(stats[0].bytesSent == 40 * 32 + (1 << 20))
            #expect(stats[1].bytesSent == 42 * 32)
            #expect(stats[2].framesReceived == 42)
            #expect(stats[2].bytesReceived == 41 * 32 + (1 << 20))
            for s in stats {
                #expect(s.droppedQueueFull == 0 && s.droppedInvalidSize == 0 && s.droppedInboundFull == 0)
                #expect(s.refusedHandshakes == 0 && s.refusedServers == 0 && s.malformedFrames == 0)
            }
            await shutdownAll(networks)
            #expect(networks[0].connectedPeers().isEmpty)
        }
    }

    @Test("Empty and oversized frames are never sent; they are counted instead")
    func invalidSizes() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            var configuration = cluster.configuration(for: 0)
            configuration.maxFrameBytes = 1024
            let sender = PeerNetwork(configuration: configuration, logger: testLogger("node0"))
            let receiver = cluster.network(1)
            let inbox = Inbox(receiver)
            try await startAll([sender, receiver], cluster: cluster)
            try await waitUntil("node 0 is linked to node 1") { sender.connectedPeers() == [1] }

            sender.send([], to: 1)
            sender.send([UInt8](repeating: 1, count: 1025), to: 1)
            sender.send([UInt8](repeating: 2, count: 1024), to: 1)
            try await inbox.waitFor(1, from: 0)
            #expect(inbox.from(0) == [[UInt8](repeating: 2, count: 1024)])
            #expect(sender.statistics().droppedInvalidSize == 2)
            #expect(receiver.statistics().malformedFrames == 0)
            await shutdownAll([sender, receiver])
        }
    }

    @Test("When the consumer lags, the newest frames are dropped and counted; the oldest are kept in order")
    func inboundOverflow() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            var configuration = cluster.configuration(for: 1)
            configuration.inboundBufferFrames = 16
            let receiver = PeerNetwork(configuration: configuration, logger: testLogger("node1"))
            let sender = cluster.network(0)
            try await startAll([sender, receiver], cluster: cluster)
            try await waitUntil("node 0 is linked to node 1") { sender.connectedPeers() == [1] }

            // Nobody reads receiver.inbound yet.
            for sequence in 0..<100 {
                sender.send(payload(from: 0, to: 1, sequence), to: 1)
            }
            try await waitUntil("node 1 decoded all 100 frames") { receiver.statistics().framesReceived == 100 }
            #expect(receiver.statistics().droppedInboundFull == 84)

            var kept: [[UInt8]] = []
            for await frame in receiver.inbound {
                #expect(frame.peer == 0)
                kept.append(frame.bytes)
                if kept.count == 16 { break }
            }
            #expect(kept == (0..<16).map { payload(from: 0, to: 1, $0) })
            await shutdownAll([sender, receiver])
        }
    }
}
