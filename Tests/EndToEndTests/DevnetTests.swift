import Foundation
import Logging
import PeerNetwork
import Testing

/// The acceptance scenarios of the node issue on real processes: TLS between
/// nodes, RocksDB on disk, SIGKILL, HTTP. Serialized: each starts four nodes.
@Suite("Devnet of civic-node processes", .serialized)
struct DevnetTests {
    @Test("four nodes commit submitted transactions and agree on height and state root")
    func agreement() async throws {
        let net = try DevnetHarness()
        defer { net.tearDown() }
        try net.startAll()
        try await net.wait("four nodes answering") { await (1...4).asyncAll { await net.head($0) != nil } }
        var ids: [String] = []
        for index in 0..<12 { ids.append(try await net.submit(via: index % 4 + 1)) }
        let head = try await net.waitForAgreement(ids, on: [1, 2, 3, 4])
        #expect(head.height >= 1)
        // The block archive serves each block with its commit certificate.
        let block = try await net.request(2, "GET", "/v1/blocks/1")
        #expect(block.status == 200)
        let signers = try block.json()["signers"] as? [Int] ?? []
        #expect(signers.count >= 3)
    }

    @Test("a replica killed under load restarts and catches up; acknowledged transactions are everywhere")
    func killAndRestartUnderLoad() async throws {
        let net = try DevnetHarness()
        defer { net.tearDown() }
        try net.startAll()
        try await net.wait("four nodes answering") { await (1...4).asyncAll { await net.head($0) != nil } }
        var acknowledged: [String] = []
        // Load through node 1 while node 3 is killed and later restarted.
        for round in 0..<60 {
            let id = try await net.submit(via: 1)
            if await net.committed(id, on: 1, waitMillis: 10_000) { acknowledged.append(id) }
            if round == 10 { net.kill(3) }
            if round == 45 { try net.start(3) }
        }
        #expect(acknowledged.count >= 50, "the other three kept committing while node 3 was down")
        let head = try await net.waitForAgreement(acknowledged, on: [1, 2, 3, 4])
        #expect(head.height >= acknowledged.count / 2)
    }

    @Test("killing the primary changes the view and commits continue")
    func primaryKilled() async throws {
        let net = try DevnetHarness(requestTimeoutMillis: 800)
        defer { net.tearDown() }
        try net.startAll()
        try await net.wait("four nodes answering") { await (1...4).asyncAll { await net.head($0) != nil } }
        let first = try await net.submit(via: 2)
        _ = try await net.waitForAgreement([first], on: [1, 2, 3, 4])
        // Ask every node: with an 800 ms timeout one slow node may already be
        // alone in a view change (its own "primary" is then nobody's primary);
        // the primary is the one a quorum of settled nodes names.
        let before = try await net.settledView(quorum: 3)
        let primary = before.primary
        net.kill(primary)
        let survivors = (1...4).filter { $0 != primary }
        var ids: [String] = []
        for node in survivors { ids.append(try await net.submit(via: node)) }
        _ = try await net.waitForAgreement(ids, on: survivors)
        let after = try await net.settledView(quorum: 3, among: survivors)
        #expect(after.view > before.view, "the survivors committed in a later view")
        #expect(after.primary != primary)
    }

    @Test("a node restarted with an empty data directory rejoins by state transfer")
    func emptyDataDirectory() async throws {
        let net = try DevnetHarness()
        defer { net.tearDown() }
        try net.startAll()
        try await net.wait("four nodes answering") { await (1...4).asyncAll { await net.head($0) != nil } }
        var ids: [String] = []
        // One block each, past two checkpoints (K = 16), so peers no longer hold the early messages.
        for _ in 0..<36 {
            let id = try await net.submit(via: 1)
            _ = await net.committed(id, on: 1, waitMillis: 10_000)
            ids.append(id)
        }
        try net.wipe(4)
        try net.start(4)
        let head = try await net.waitForAgreement(ids, on: [1, 2, 3, 4])
        #expect(head.height >= 36)
        #expect(net.log(4).contains("state transfer done"))
    }

    @Test("malformed peer frames and bad HTTP requests get clear errors; the node keeps serving")
    func hostileInput() async throws {
        let net = try DevnetHarness()
        defer { net.tearDown() }
        try net.startAll()
        try await net.wait("four nodes answering") { await (1...4).asyncAll { await net.head($0) != nil } }

        // Plain TCP garbage at a TLS peer port: the handshake fails, the listener lives on.
        try RawTCP.send(Array("GET / HTTP/1.0\r\n\r\n".utf8) + [UInt8](repeating: 0xFF, count: 4096), port: net.peerPortBase)

        let badJSON = try await net.request(1, "POST", "/v1/transactions", body: Data("{not json".utf8))
        #expect(badJSON.status == 400)
        #expect(try badJSON.json()["code"] as? String != nil)
        let badHex = try await net.request(1, "POST", "/v1/transactions", body: Data(#"{"transaction":"zz"}"#.utf8))
        #expect(badHex.status == 400)
        let oversized = try await net.request(1, "POST", "/v1/transactions", body: Data(repeating: 0x20, count: 9 << 20))
        #expect(oversized.status == 413)
        let unknown = try await net.request(1, "GET", "/v1/nothing-here")
        #expect(unknown.status == 404)
        #expect(try unknown.json()["code"] as? String != nil)

        let id = try await net.submit(via: 1)
        _ = try await net.waitForAgreement([id], on: [1, 2, 3, 4])
    }
}

@Suite("Devnet peer authentication", .serialized)
struct DevnetPeerAuthenticationTests {
    /// Replaces node 2's TLS certificate, starts it among the other three, and
    /// checks that they refuse it while they keep committing without it.
    func expectRefused(_ certificate: IssuedCertificate, on net: DevnetHarness) async throws {
        try TLSIdentity.write(certificate, certificatePath: net.path(2, "tls.pem"), privateKeyPath: net.path(2, "tls.key"))
        let before = [1, 3, 4].map { net.log($0).components(separatedBy: "refused inbound connection").count }
        try net.start(2)
        try await net.wait("the others to refuse node 2's certificate") {
            zip([1, 3, 4], before).allSatisfy { node, count in net.log(node).components(separatedBy: "refused inbound connection").count > count }
        }
        let id = try await net.submit(via: 1)
        _ = try await net.waitForAgreement([id], on: [1, 3, 4])
        for node in [1, 3, 4] {
            let peers = try await net.status(node)["connectedPeers"] as? [Int] ?? []
            #expect(!peers.contains(1), "node \(node) holds a link to the impostor: \(peers)")
        }
        #expect(try await net.status(2)["connectedPeers"] as? [Int] == [])
        net.kill(2)
    }

    @Test("a node whose certificate comes from another CA is refused")
    func foreignCA() async throws {
        let net = try DevnetHarness()
        defer { net.tearDown() }
        for node in [1, 3, 4] { try net.start(node) }
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3600).rounded(.down))
        let rogue = try ClusterCA.create(commonName: "rogue CA", notBefore: now, validityDays: 30)
        let certificate = try ClusterCA.issueNodeCertificate(
            ca: rogue, nodeName: "node2", genesisNodeKey: net.genesis.bureaus[1].nodeKey.bytes,
            hosts: ["127.0.0.1"], notBefore: now, validityDays: 10)
        // Node 2 trusts its own (rogue) CA, or it would refuse to start with a
        // certificate that CA did not issue.
        try rogue.certificatePEM.write(toFile: net.path(2, "rogue-ca.pem"), atomically: true, encoding: .utf8)
        let config = try String(contentsOfFile: net.path(2, "node.toml"), encoding: .utf8)
            .replacingOccurrences(of: "tls_ca = \"../ca.pem\"", with: "tls_ca = \"rogue-ca.pem\"")
        try config.write(toFile: net.path(2, "node.toml"), atomically: true, encoding: .utf8)
        try await expectRefused(certificate, on: net)
    }

    @Test("a certificate from the cluster CA that binds another key: civic-node refuses to start with it, and the nodes refuse a peer presenting it")
    func wrongKey() async throws {
        let net = try DevnetHarness()
        defer { net.tearDown() }
        for node in [1, 3, 4] { try net.start(node) }
        let ca = IssuedCertificate(
            certificatePEM: try String(contentsOfFile: net.directory.path("net/ca.pem"), encoding: .utf8),
            privateKeyPEM: try String(contentsOfFile: net.directory.path("net/ca.key"), encoding: .utf8))
        let now = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3600).rounded(.down))
        let stranger = try net.chain.suite.generatePrivateKey().publicKey.compressed.bytes
        let certificate = try ClusterCA.issueNodeCertificate(
            ca: ca, nodeName: "node2", genesisNodeKey: stranger, hosts: ["127.0.0.1"], notBefore: now, validityDays: 10)
        try TLSIdentity.write(certificate, certificatePath: net.path(2, "tls.pem"), privateKeyPath: net.path(2, "tls.key"))

        // The real node checks its own certificate against genesis and stops.
        let refused = try runExecutable("civic-node", ["run", "--config", net.path(2, "node.toml")])
        #expect(refused.status == 2)
        let errors = refused.stderr.split(separator: "\n").filter { $0.hasPrefix("civic-node: error: ") }
        #expect(errors.count == 1, "\(refused.stderr)")
        #expect(errors.first?.contains("was it issued for another node?") == true)

        // An impostor that skips that check (its own peer list names the
        // stranger key as replica 1) is refused by every node it dials.
        let identity = try TLSIdentity.load(
            caPath: net.directory.path("net/ca.pem"), certificatePath: net.path(2, "tls.pem"), privateKeyPath: net.path(2, "tls.key"))
        let peers = (0..<4).map { index in
            PeerAddress(
                index: index, host: "127.0.0.1", port: net.peerPortBase + index,
                nodeKey: index == 1 ? stranger : net.genesis.bureaus[index].nodeKey.bytes)
        }
        let impostor = PeerNetwork(
            configuration: PeerNetworkConfiguration(
                selfIndex: 1, listenHost: "127.0.0.1", listenPort: 0, peers: peers, identity: identity),
            logger: Logger(label: "impostor"))
        _ = try await impostor.start()
        let before = [1, 3, 4].map { net.log($0).components(separatedBy: "refused inbound connection").count }
        try await net.wait("the nodes to refuse the impostor") {
            zip([1, 3, 4], before).allSatisfy { node, count in net.log(node).components(separatedBy: "refused inbound connection").count > count }
        }
        impostor.broadcast(Array("not a consensus message".utf8))
        let id = try await net.submit(via: 1)
        _ = try await net.waitForAgreement([id], on: [1, 3, 4])
        for node in [1, 3, 4] {
            let peers = try await net.status(node)["connectedPeers"] as? [Int] ?? []
            #expect(!peers.contains(1), "node \(node) holds a link to the impostor: \(peers)")
        }
        await impostor.shutdown()
    }
}

extension ClosedRange where Bound == Int {
    func asyncAll(_ predicate: (Int) async -> Bool) async -> Bool {
        for element in self where !(await predicate(element)) { return false }
        return true
    }
}

enum RawTCP {
    /// Connects to 127.0.0.1:`port`, writes `bytes`, closes.
    static func send(_ bytes: [UInt8], port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("connect to \(port) failed") }
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    }
}
