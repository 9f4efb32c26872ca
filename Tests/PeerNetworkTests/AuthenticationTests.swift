import Crypto
import Foundation
import LedgerCore
import PeerNetwork
import Testing
import X509

/// A certificate from `ca` for TLS client and server use, without the genesis key binding.
private func certificateWithoutBinding(ca: IssuedCertificate) throws -> IssuedCertificate {
    let caCertificate = try Certificate(pemEncoded: ca.certificatePEM)
    let key = P256.Signing.PrivateKey()
    let certificate = try Certificate(
        version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: .init(key.publicKey),
        notValidBefore: certificateStart(), notValidAfter: certificateStart().addingTimeInterval(86_400),
        issuer: caCertificate.subject, subject: try DistinguishedName { CommonName("unbound") },
        signatureAlgorithm: .ecdsaWithSHA256,
        extensions: try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            try ExtendedKeyUsage([.serverAuth, .clientAuth])
        },
        issuerPrivateKey: try Certificate.PrivateKey(pemEncoded: ca.privateKeyPEM))
    return IssuedCertificate(certificatePEM: try certificate.serializeAsPEM().pemString, privateKeyPEM: key.pemRepresentation)
}

@Suite("Peer authentication")
struct AuthenticationTests {
    /// Node 0 of a 3-node cluster runs alone; a raw client presents
    /// `certificate` (trusting the cluster CA, so its own side of the TLS
    /// handshake completes) and sends a frame. Node 0 must close the connection,
    /// deliver nothing, count one refused handshake and log the reason.
    private func expectRefusal(
        reason: String, certificate: (TestCluster) throws -> IssuedCertificate
    ) async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 3, dir: dir)
            let logs = CapturedLogs()
            let node = cluster.network(0, logs: logs)
            let inbox = Inbox(node)
            try await startAll([node], cluster: cluster)

            let client = try await RawTLSClient.connect(
                port: cluster.peers[0].port, certificate: try certificate(cluster), trustingCA: cluster.ca.certificatePEM)
            if (try? await client.handshake.get()) != nil {
                // May fail once the server's refusal has arrived; the point is that nothing gets through.
                try? await client.writeFrame(length: 5, payload: Array("hello".utf8))
            }
            #expect(await client.closedByPeer(), "node 0 kept the connection open")
            try await waitUntil("node 0 counted the refusal") { node.statistics().refusedHandshakes >= 1 }

            let stats = node.statistics()
            #expect(stats.refusedHandshakes == 1)
            #expect(stats.framesReceived == 0)
            #expect(inbox.all.isEmpty)
            #expect(
                logs.contains(level: .warning, "refused inbound connection", reason),
                "no warning naming \"\(reason)\" in:\n\(logs.all.joined(separator: "\n"))")
            await node.shutdown()
        }
    }

    @Test("A client certificate from another CA is refused, even when it binds a genesis key in the peer list")
    func foreignCAClient() async throws {
        try await expectRefusal(reason: "TLS handshake failed") { cluster in
            let foreign = try ClusterCA.create(commonName: "CivicLedger test cluster", notBefore: certificateStart(), validityDays: 30)
            return try ClusterCA.issueNodeCertificate(
                ca: foreign, nodeName: "node1", genesisNodeKey: cluster.peers[1].nodeKey, hosts: ["127.0.0.1"],
                notBefore: certificateStart(), validityDays: 7)
        }
    }

    @Test("A certificate from the cluster CA binding a key that is not in the peer list is refused")
    func unknownKey() async throws {
        try await expectRefusal(reason: "not in the peer list") { cluster in
            try cluster.issue(name: "intruder", binding: try genesisNodeKey())
        }
    }

    @Test("A certificate binding the listening node's own key is refused")
    func ownKey() async throws {
        try await expectRefusal(reason: "this node's own key") { cluster in
            try cluster.issue(name: "clone", binding: cluster.peers[0].nodeKey)
        }
    }

    @Test("A certificate from the cluster CA without the binding extension is refused")
    func noBinding() async throws {
        try await expectRefusal(reason: "no genesis key binding") { cluster in
            try certificateWithoutBinding(ca: cluster.ca)
        }
    }

    @Test("A dialer refuses a server whose certificate binds another peer's key than the one it dialed")
    func wrongServer() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 3, dir: dir)
            let logs = CapturedLogs()
            let node = cluster.network(0, logs: logs)
            // At node 2's address answers a server with node 1's genuine certificate.
            let impostor = try await StalledTLSServer.start(
                port: cluster.peers[2].port, certificate: cluster.issued[1], trustingCA: cluster.ca.certificatePEM)
            try await startAll([node], cluster: cluster)

            let sawPeer2 = Flag()
            try await waitUntil("node 0 refused the server at node 2's address twice") {
                if node.connectedPeers().contains(2) { sawPeer2.set() }
                return node.statistics().refusedServers >= 2
            }
            #expect(!sawPeer2.isSet)
            #expect(!node.connectedPeers().contains(2))
            #expect(node.statistics().reconnects >= 1)
            node.send([1, 2, 3], to: 2)
            #expect(node.statistics().droppedNotConnected == 1)
            #expect(node.statistics().framesSent == 0)
            #expect(
                logs.contains(
                    level: .warning, "refused the dialed peer",
                    "dialed peer 2 but its certificate binds node key \(Hex.encode(cluster.peers[1].nodeKey))"),
                "no warning in:\n\(logs.all.joined(separator: "\n"))")
            await node.shutdown()
            await impostor.close()
        }
    }

    @Test("A whole node of another cluster CA never links up with the cluster, in either direction")
    func foreignNode() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 3, dir: dir)
            // Node 2's genesis key, but certified by another CA.
            let foreignCA = try ClusterCA.create(commonName: "Foreign", notBefore: certificateStart(), validityDays: 30)
            let foreignCertificate = try ClusterCA.issueNodeCertificate(
                ca: foreignCA, nodeName: "node2", genesisNodeKey: cluster.peers[2].nodeKey, hosts: ["127.0.0.1"],
                notBefore: certificateStart(), validityDays: 7)
            var foreignConfiguration = cluster.configuration(for: 2)
            foreignConfiguration.identity = try TLSIdentity(
                caPEM: foreignCA.certificatePEM, certificatePEM: foreignCertificate.certificatePEM,
                privateKeyPEM: foreignCertificate.privateKeyPEM)
            let foreign = PeerNetwork(configuration: foreignConfiguration, logger: testLogger("foreign"))
            let good = [cluster.network(0), cluster.network(1)]
            let inboxes = good.map(Inbox.init)
            try await startAll(good + [foreign], cluster: cluster)

            try await waitUntil("nodes 0 and 1 are linked") { good[0].connectedPeers() == [1] && good[1].connectedPeers() == [0] }
            try await waitUntil("both good nodes refused the foreign node as client and as server") {
                good.allSatisfy { $0.statistics().refusedHandshakes >= 1 && $0.statistics().refusedServers >= 1 }
            }
            // The foreign node keeps trying and sending; none of it may arrive.
            foreign.broadcast([9, 9, 9])
            good[0].send([1], to: 1)
            try await inboxes[1].waitFor(1, from: 0)
            #expect(inboxes[0].count(from: 2) == 0 && inboxes[1].count(from: 2) == 0)
            #expect(good.allSatisfy { $0.statistics().framesReceived <= 1 })
            #expect(!good[0].connectedPeers().contains(2) && !good[1].connectedPeers().contains(2))
            #expect(foreign.connectedPeers().isEmpty)
            #expect(foreign.statistics().framesSent == 0)
            await shutdownAll(good + [foreign])
        }
    }

    @Test("A second inbound connection from the same peer replaces the first")
    func secondConnectionReplacesFirst() async throws {
        try await withTempDir { dir in
            let cluster = try TestCluster(count: 2, dir: dir)
            let node = cluster.network(0)
            let inbox = Inbox(node)
            try await startAll([node], cluster: cluster)

            // Both present node 1's genuine certificate.
            let older = try await RawTLSClient.connect(
                port: cluster.peers[0].port, certificate: cluster.issued[1], trustingCA: cluster.ca.certificatePEM)
            try await older.handshake.get()
            try await older.writeFrame(length: 1, payload: [1])
            try await inbox.waitFor(1, from: 1)

            let newer = try await RawTLSClient.connect(
                port: cluster.peers[0].port, certificate: cluster.issued[1], trustingCA: cluster.ca.certificatePEM)
            try await newer.handshake.get()
            try await newer.writeFrame(length: 1, payload: [2])
            try await inbox.waitFor(2, from: 1)
            #expect(await older.closedByPeer(), "the older connection from peer 1 was kept")
            #expect(newer.channel.isActive)
            try await newer.writeFrame(length: 1, payload: [3])
            try await inbox.waitFor(3, from: 1)
            #expect(inbox.from(1) == [[1], [2], [3]])
            #expect(node.statistics().refusedHandshakes == 0)
            await newer.close()
            await node.shutdown()
        }
    }
}
