import Foundation
import LedgerCrypto
import Logging
import PeerNetwork

/// Runs `body` in a fresh directory that is removed afterwards.
func withTempDir<T>(_ body: (String) async throws -> T) async throws -> T {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("civic-peer-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    return try await body(dir)
}

/// A fresh genesis node key, as genesis lists it (33-byte compressed SEC1).
func genesisNodeKey(_ suite: SuiteID = .standard) throws -> [UInt8] {
    try CryptoSuites.suite(suite).generatePrivateKey().publicKey.compressed.bytes
}

/// Now minus an hour, whole seconds: certificates keep second precision, and
/// the hour absorbs any clock skew between "now" here and in BoringSSL.
func certificateStart() -> Date {
    Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 3600).rounded(.down))
}

/// A cluster CA and `count` nodes on 127.0.0.1 with reserved ports, their
/// keys and certificates written to `dir` and loaded back the way a node does.
struct TestCluster {
    let dir: String
    let ca: IssuedCertificate
    let peers: [PeerAddress]
    let identities: [TLSIdentity]
    /// The nodes' certificates and keys as PEM text, for hand-driven peers.
    let issued: [IssuedCertificate]

    init(count: Int, dir: String, caName: String = "CivicLedger test cluster") throws {
        self.dir = dir
        let ca = try ClusterCA.create(commonName: caName, notBefore: certificateStart(), validityDays: 30)
        let caPath = "\(dir)/\(caName.filter(\.isLetter))-ca.pem"
        try TLSIdentity.write(ca, certificatePath: caPath, privateKeyPath: "\(caPath).key")
        let ports = TestPorts.reserve(count)
        var peers: [PeerAddress] = []
        var identities: [TLSIdentity] = []
        var issuedCertificates: [IssuedCertificate] = []
        for index in 0..<count {
            let key = try genesisNodeKey()
            let issued = try ClusterCA.issueNodeCertificate(
                ca: ca, nodeName: "node\(index)", genesisNodeKey: key, hosts: ["127.0.0.1", "node\(index).civic.test"],
                notBefore: certificateStart(), validityDays: 7)
            issuedCertificates.append(issued)
            let prefix = "\(dir)/\(caName.filter(\.isLetter))-node\(index)"
            try TLSIdentity.write(issued, certificatePath: "\(prefix).pem", privateKeyPath: "\(prefix).key")
            identities.append(
                try TLSIdentity.load(caPath: caPath, certificatePath: "\(prefix).pem", privateKeyPath: "\(prefix).key"))
            peers.append(PeerAddress(index: index, host: "127.0.0.1", port: ports[index], nodeKey: key))
        }
        self.ca = ca
        self.peers = peers
        self.identities = identities
        self.issued = issuedCertificates
    }

    /// Quick redials so that reconnect tests do not wait for long backoffs.
    func configuration(for index: Int) -> PeerNetworkConfiguration {
        PeerNetworkConfiguration(
            selfIndex: index, listenHost: "127.0.0.1", listenPort: peers[index].port, peers: peers,
            identity: identities[index], reconnectInitial: .milliseconds(20), reconnectMax: .milliseconds(400))
    }

    func network(_ index: Int, logs: CapturedLogs? = nil) -> PeerNetwork {
        PeerNetwork(configuration: configuration(for: index), logger: testLogger("node\(index)", logs: logs))
    }

    /// A node certificate from this cluster's CA for `key`, as PEM text.
    func issue(name: String, binding key: [UInt8]) throws -> IssuedCertificate {
        try ClusterCA.issueNodeCertificate(
            ca: ca, nodeName: name, genesisNodeKey: key, hosts: ["127.0.0.1"], notBefore: certificateStart(),
            validityDays: 7)
    }
}

/// Warnings and errors go to stderr (they explain a failing test); with
/// `logs`, every message from debug up is also captured for assertions.
func testLogger(_ label: String, logs: CapturedLogs? = nil) -> Logger {
    Logger(label: "peer-test.\(label)") { label in
        var stderr = StreamLogHandler.standardError(label: label)
        stderr.logLevel = .warning
        guard let logs else { return stderr }
        return MultiplexLogHandler([stderr, CapturingLogHandler(store: logs)])
    }
}

/// Starts each network and checks it bound the port its peers expect.
func startAll(_ networks: [PeerNetwork], cluster: TestCluster, indexes: [Int]? = nil) async throws {
    for (network, index) in zip(networks, indexes ?? Array(networks.indices)) {
        let port = try await network.start()
        guard port == cluster.peers[index].port else {
            throw TestFailure("node \(index) bound port \(port), expected \(cluster.peers[index].port)")
        }
    }
}

func shutdownAll(_ networks: [PeerNetwork]) async {
    for network in networks { await network.shutdown() }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
