import LedgerCore
import NodeAPI
import Testing
@testable import NodeRuntime

/// Admission under load: a node holds at most its share of a replica queue,
/// and once full it answers "full" before spending anything on a submission.
@Suite("Admission")
struct AdmissionTests {
    /// One node up and no quorum, so nothing commits and the mempool only fills.
    static func loneNode(maxPendingRequests: Int, mempoolLimit: Int? = nil) async throws -> InProcessCluster {
        let cluster = try InProcessCluster { configuration in
            configuration.consensus.maxPendingRequests = maxPendingRequests
            configuration.mempool.maxTransactions = mempoolLimit
        }
        try await cluster.start(0)
        return cluster
    }

    static func accepted(_ outcomes: [SubmitOutcome]) -> Int {
        outcomes.filter { if case .accepted = $0 { true } else { false } }.count
    }

    @Test("Unset, the mempool holds the node's share of the replica queue: max_pending_requests / replicas")
    func shareByDefault() async throws {
        let cluster = try await Self.loneNode(maxPendingRequests: 64)
        defer { Task { await cluster.stopAll() } }
        let outcomes = await cluster.backend(0).submit(try (0..<20).map { _ in try cluster.registerOffice() })
        #expect(Self.accepted(outcomes) == 16)
        #expect(outcomes[16...].allSatisfy { $0 == .full(retryAfterSeconds: 2) })
    }

    @Test("A configured limit above the share is held to the share; one below it is kept")
    func configuredLimit() async throws {
        let above = try await Self.loneNode(maxPendingRequests: 64, mempoolLimit: 1_000)
        defer { Task { await above.stopAll() } }
        #expect(Self.accepted(await above.backend(0).submit(try (0..<20).map { _ in try above.registerOffice() })) == 16)
        let below = try await Self.loneNode(maxPendingRequests: 64, mempoolLimit: 5)
        defer { Task { await below.stopAll() } }
        #expect(Self.accepted(await below.backend(0).submit(try (0..<20).map { _ in try below.registerOffice() })) == 5)
    }

    @Test("A full node answers full without checking the submission: not even a bad signature is looked at")
    func fullShedsBeforeChecking() async throws {
        let cluster = try await Self.loneNode(maxPendingRequests: 64, mempoolLimit: 2)
        defer { Task { await cluster.stopAll() } }
        var forged = try cluster.registerOffice()
        forged[forged.count - 1] ^= 0x01
        // With room, a forged signature is refused for what it is.
        let withRoom = await cluster.backend(0).submit([forged])
        guard case let .rejected(code, _) = withRoom[0] else { Issue.record("not rejected: \(withRoom)"); return }
        #expect(code == "BAD_SIGNATURE")
        #expect(Self.accepted(await cluster.backend(0).submit([try cluster.registerOffice(), try cluster.registerOffice()])) == 2)
        #expect(await cluster.backend(0).submit([forged, Array("not a transaction".utf8)])
            == [.full(retryAfterSeconds: 2), .full(retryAfterSeconds: 2)])
    }
}
