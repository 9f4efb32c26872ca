import PeerNetwork
import Testing

@Suite("Handshake limits")
struct HandshakeLimitTests {
    @Test("A connection that never completes its handshake is closed after handshakeTimeout and counted")
    func handshakeTimeout() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            var configuration = cluster.configuration(for: 0)
            configuration.handshakeTimeout = .milliseconds(300)
            let logs = CapturedLogs()
            let node = PeerNetwork(configuration: configuration, logger: testLogger("node0", logs: logs))
            try await startAll([node], cluster: cluster)

            let silent = try await connectPlainTCP(port: cluster.peers[0].port)
            #expect(await closedByPeer(silent), "node 0 kept a silent connection open")
            try await waitUntil("node 0 counted the refusal") { node.statistics().refusedHandshakes == 1 }
            #expect(logs.contains(level: .warning, "refused inbound connection", "took longer than"))
            await node.shutdown()
        }
    }

    @Test("Connections beyond maxPendingHandshakes are closed at once; shutdown closes the pending ones")
    func pendingLimit() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            var configuration = cluster.configuration(for: 0)
            configuration.maxPendingHandshakes = 2
            configuration.handshakeTimeout = .seconds(120)
            let logs = CapturedLogs()
            let node = PeerNetwork(configuration: configuration, logger: testLogger("node0", logs: logs))
            try await startAll([node], cluster: cluster)

            let connections = [
                try await connectPlainTCP(port: cluster.peers[0].port),
                try await connectPlainTCP(port: cluster.peers[0].port),
                try await connectPlainTCP(port: cluster.peers[0].port),
            ]
            // Which of the three is refused depends on the order their pipelines
            // are set up on different event loops; exactly one must be.
            try await waitUntil("node 0 closed one of three pending connections") {
                connections.filter { !$0.isActive }.count == 1
            }
            try await waitUntil("node 0 counted the refusal") { node.statistics().refusedHandshakes == 1 }
            #expect(logs.contains(level: .warning, "refused inbound connection", "already 2 handshakes in progress"))
            let pending = connections.filter(\.isActive)
            #expect(pending.count == 2)

            // Shutdown does not wait for their 120 s handshake timeout.
            await node.shutdown()
            for connection in pending {
                #expect(await closedByPeer(connection))
            }
        }
    }
}
