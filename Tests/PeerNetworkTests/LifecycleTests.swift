import PeerNetwork
import Testing

@Suite("Start and shutdown")
struct LifecycleTests {
    @Test("start refuses a configuration whose certificate binds another node's key")
    func identityMismatch() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            var configuration = cluster.configuration(for: 0)
            configuration.identity = cluster.identities[1]
            let node = PeerNetwork(configuration: configuration, logger: testLogger("node0"))
            let error = await #expect(throws: PeerNetworkError.self) { try await node.start() }
            #expect(error?.description.contains("binds a different genesis key than peers[0].nodeKey") == true)
            await node.shutdown()
        }
    }

    @Test("start refuses inconsistent limits and peer lists")
    func invalidConfigurations() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            var variants: [PeerNetworkConfiguration] = []
            var c = cluster.configuration(for: 0)
            c.outboundQueueBytes = c.maxFrameBytes - 1
            variants.append(c)
            c = cluster.configuration(for: 0)
            c.peers.append(PeerAddress(index: 1, host: "127.0.0.1", port: 1, nodeKey: try genesisNodeKey()))
            variants.append(c)
            c = cluster.configuration(for: 0)
            c.peers[1] = PeerAddress(index: 1, host: "127.0.0.1", port: 1, nodeKey: c.peers[0].nodeKey)
            variants.append(c)
            c = cluster.configuration(for: 0)
            c.selfIndex = 5
            variants.append(c)
            c = cluster.configuration(for: 0)
            c.reconnectMax = .milliseconds(1)
            variants.append(c)
            for configuration in variants {
                let node = PeerNetwork(configuration: configuration, logger: testLogger("node0"))
                await #expect(throws: PeerNetworkError.self) { try await node.start() }
            }
        }
    }

    @Test("start twice, start after shutdown and a taken port are clear errors; shutdown twice is harmless")
    func lifecycle() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            let node = cluster.network(0)
            _ = try await node.start()
            await #expect(throws: PeerNetworkError.alreadyStarted) { try await node.start() }

            let squatter = cluster.network(0)
            let error = await #expect(throws: PeerNetworkError.self) { try await squatter.start() }
            guard case .bindFailed(host: "127.0.0.1", port: cluster.peers[0].port, reason: _)? = error else {
                Issue.record("expected bindFailed, got \(String(describing: error))")
                return
            }

            await node.shutdown()
            await node.shutdown()
            await #expect(throws: PeerNetworkError.shutDown) { try await node.start() }

            // The port is free again once shutdown returns.
            let successor = cluster.network(0)
            #expect(try await successor.start() == cluster.peers[0].port)
            await successor.shutdown()
        }
    }

    @Test("listenPort 0 binds an ephemeral port and start returns it")
    func ephemeralPort() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            var configuration = cluster.configuration(for: 1)
            configuration.listenPort = 0
            let listener = PeerNetwork(configuration: configuration, logger: testLogger("node1"))
            let port = try await listener.start()
            #expect(port > 0 && port != cluster.peers[1].port)
            let inbox = Inbox(listener)

            // Node 0 finds node 1 at the port start() returned.
            var peers = cluster.peers
            peers[1] = PeerAddress(index: 1, host: "127.0.0.1", port: port, nodeKey: peers[1].nodeKey)
            var dialerConfiguration = cluster.configuration(for: 0)
            dialerConfiguration.peers = peers
            let dialer = PeerNetwork(configuration: dialerConfiguration, logger: testLogger("node0"))
            _ = try await dialer.start()
            try await waitUntil("node 0 is linked to node 1") { dialer.connectedPeers() == [1] }
            dialer.send([42], to: 1)
            try await inbox.waitFor(1, from: 0)
            await shutdownAll([dialer, listener])
        }
    }
}
