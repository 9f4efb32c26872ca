import Testing
@testable import NodeRuntime

@Suite("node.toml")
struct NodeConfigFileTests {
    static let valid = """
        [node]
        name = "node1"
        replica = 0
        genesis = "../genesis.toml"
        data_dir = "data"

        [keys]
        node_key = "node.key"
        tls_ca = "../ca.pem"
        tls_certificate = "tls.pem"
        tls_key = "/etc/civic/tls.key"

        [peer]
        listen = "127.0.0.1:7101"

        [api]
        listen = "[::1]:8101"

        [consensus]
        request_timeout_ms = 500

        [[peers]]
        replica = 1
        address = "127.0.0.1:7102"

        [[peers]]
        replica = 0
        address = "127.0.0.1:7101"

        [[peers]]
        replica = 2
        address = "127.0.0.1:7103"

        [[peers]]
        replica = 3
        address = "host.example:7104"
        """

    func parse(_ text: String) throws(NodeConfigError) -> NodeConfiguration {
        try NodeConfigFile.parse(text, file: "node.toml", folder: "/srv/nodes/node1")
    }

    func failure(_ text: String) -> String? {
        do throws(NodeConfigError) {
            _ = try parse(text)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func readsEveryKeyAndResolvesPathsFromTheFileFolder() throws {
        let config = try parse(Self.valid)
        #expect(config.name == "node1")
        #expect(config.replica == 0)
        #expect(config.genesisPath == "/srv/nodes/genesis.toml")
        #expect(config.dataDirectory == "/srv/nodes/node1/data")
        #expect(config.tlsKeyPath == "/etc/civic/tls.key")
        #expect(config.peerListen == .init(host: "127.0.0.1", port: 7101))
        #expect(config.apiListen == .init(host: "::1", port: 8101))
        #expect(config.peers.map(\.replica) == [0, 1, 2, 3])
        #expect(config.peers[3].address == .init(host: "host.example", port: 7104))
        #expect(config.consensus.requestTimeoutMillis == 500)
        #expect(config.consensus.viewChangeTimeoutMillis == NodeConfiguration.Consensus().viewChangeTimeoutMillis)
        #expect(config.logLevel == "info")
        #expect(config.signedRequestsPerSecond == 20 && config.signedRequestBurst == 40)
        let budget = try parse(Self.valid.replacingOccurrences(
            of: "listen = \"[::1]:8101\"", with: "listen = \"[::1]:8101\"\nsigned_requests_per_second = 5\nsigned_request_burst = 9"))
        #expect(budget.signedRequestsPerSecond == 5 && budget.signedRequestBurst == 9)
    }

    @Test(arguments: [
        ("listen = \"127.0.0.1:7101\"", "listen = \"127.0.0.1\"", "peer.listen"),
        ("listen = \"127.0.0.1:7101\"", "listen = \"127.0.0.1:70000\"", "peer.listen"),
        ("replica = 0\ngenesis", "replica = 9\ngenesis", "node.replica"),
        ("request_timeout_ms = 500", "request_timeout_ms = 1", "consensus.request_timeout_ms"),
        ("request_timeout_ms = 500", "request_timout_ms = 500", "consensus.request_timout_ms"),
        ("data_dir = \"data\"", "data_dir = 7", "node.data_dir"),
        ("[api]", "[apis]", "apis"),
        ("listen = \"[::1]:8101\"", "listen = \"[::1]:8101\"\nsigned_request_burst = 0", "api.signed_request_burst"),
        ("name = \"node1\"", "name = \"node 1!\"", "node.name"),
        ("request_timeout_ms = 500", "window = 1000", "consensus.window"),
        ("request_timeout_ms = 500", "window = 64\nmax_batch_bytes = 1048576", "consensus.max_batch_bytes"),
    ])
    func namesTheKeyAndTheProblem(original: String, replacement: String, key: String) {
        let message = failure(Self.valid.replacingOccurrences(of: original, with: replacement))
        #expect(message?.hasPrefix("node.toml: \(key): ") == true, "\(message ?? "accepted")")
    }

    @Test func mempoolLimitDefaultsToTheAdmissionShareUnlessGiven() throws {
        #expect(try parse(Self.valid).mempool.maxTransactions == nil)
        let given = try parse(Self.valid + "\n\n[mempool]\nmax_transactions = 100\n")
        #expect(given.mempool.maxTransactions == 100)
        #expect(failure(Self.valid + "\n\n[mempool]\nmax_transactions = 0\n")?.contains("max_transactions") == true)
    }

    @Test func admissionShareSplitsTheReplicaQueueAcrossReplicas() {
        #expect(Mempool.Limits.admissionShare(maxPendingRequests: 8192, replicas: 4) == 2048)
        #expect(Mempool.Limits.admissionShare(maxPendingRequests: 8192, replicas: 7) == 1170)
        #expect(Mempool.Limits.admissionShare(maxPendingRequests: 3, replicas: 4) == 1)
    }

    @Test func refusesAGapInThePeerList() {
        let text = Self.valid.replacingOccurrences(of: "replica = 2\naddress", with: "replica = 5\naddress")
        #expect(failure(text)?.contains("peers: replicas must be 0, 1, … n-1") == true)
    }

    @Test func reportsTOMLSyntaxErrorsWithTheirLine() {
        let message = failure("[node]\nname = \n")
        #expect(message?.contains("node.toml:2") == true, "\(message ?? "accepted")")
    }

    @Test func missingTableIsNamed() {
        let text = Self.valid.replacingOccurrences(of: "[api]\nlisten = \"[::1]:8101\"", with: "")
        #expect(failure(text) == "node.toml: api: missing table [api]")
    }
}
