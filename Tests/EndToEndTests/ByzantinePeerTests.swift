import Foundation
import Testing

/// One node of four runs `civic-byzantine-node`: the real node, lying to its
/// peers. The three honest nodes must keep committing, agree, and name the
/// liar (and only the liar) in `/v1/status`. Serialized: each starts four nodes.
@Suite("Byzantine peer processes", .serialized)
struct ByzantinePeerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        /// 1-based, as the devnet names nodes; node1 is the primary of view 0.
        let node: Int
        let flags: [String]
        /// Reasons the honest nodes together must have charged to it.
        let expected: Set<String>

        var testDescription: String { "node\(node) \(flags.joined(separator: " "))" }
    }

    static let cases = [
        // As the primary of view 0: its first batch is an equivocation, and it
        // stays byzantine (as a backup) in the views after.
        Case(node: 1, flags: ["--all"], expected: ["equivocation", "malformed", "badSignature", "notFromSigner", "ownMessage"]),
        Case(node: 1, flags: ["--equivocate"], expected: ["equivocation"]),
        Case(node: 4, flags: ["--double-vote"], expected: ["equivocation"]),
        Case(node: 3, flags: ["--replay"], expected: ["notFromSigner", "ownMessage"]),
        Case(node: 2, flags: ["--garbage"], expected: ["malformed", "badSignature"]),
    ]

    @Test("the honest nodes commit, agree and name only the byzantine peer", arguments: cases)
    func honestNodesCarryOn(_ scenario: Case) async throws {
        let net = try await DevnetHarness.make()
        net.byzantine[scenario.node] = scenario.flags
        do {
            try await run(scenario, on: net)
        } catch {
            await net.tearDownOffPool()
            throw error
        }
        await net.tearDownOffPool()
    }

    func run(_ scenario: Case, on net: DevnetHarness) async throws {
        let honest = (1...4).filter { $0 != scenario.node }
        let liar = scenario.node - 1
        try net.startAll()
        try await net.wait("four nodes answering") { await (1...4).asyncAll { await net.head($0) != nil } }

        var ids: [String] = []
        for index in 0..<9 { ids.append(try await net.submit(via: honest[index % honest.count])) }
        let head = try await net.waitForAgreement(ids, on: honest, seconds: 150)
        #expect(head.height >= 1)

        // Offences arrive with traffic; wait (bounded) until every expected reason has been charged.
        var charged: [Int: [(peer: Int, reason: String, count: Int)]] = [:]
        do {
            try await net.wait("the honest nodes to charge \(scenario.expected.sorted()) to node\(scenario.node)", seconds: 120) {
                for node in honest { charged[node] = try await offences(node, on: net) }
                let reasons = Set(charged.values.joined().filter { $0.peer == liar }.map(\.reason))
                return scenario.expected.isSubset(of: reasons)
                    && honest.allSatisfy { node in charged[node]!.contains { $0.peer == liar && $0.count > 0 } }
            }
        } catch {
            throw TestFailure("\(error); charged: \(charged)\n\(await net.diagnostics(ids, nodes: honest))")
        }
        for node in honest {
            let accused = Set(charged[node]!.map(\.peer))
            #expect(accused == [liar], "node\(node) accused \(accused.map { "node\($0 + 1)" }.sorted()): \(charged[node]!)")
        }

        // Still live with the liar running, and still of one mind.
        var more: [String] = []
        for node in honest { more.append(try await net.submit(via: node)) }
        _ = try await net.waitForAgreement(ids + more, on: honest, seconds: 150)
        for node in honest {
            #expect(try await offences(node, on: net).allSatisfy { $0.peer == liar }, "node\(node) accused an honest peer")
        }
    }

    func offences(_ node: Int, on net: DevnetHarness) async throws -> [(peer: Int, reason: String, count: Int)] {
        let status = try await net.status(node)
        guard let list = status["peerOffences"] as? [[String: Any]] else { throw TestFailure("node\(node) has no peerOffences") }
        return list.map { ($0["peer"] as? Int ?? -1, $0["reason"] as? String ?? "?", $0["count"] as? Int ?? 0) }
    }
}
