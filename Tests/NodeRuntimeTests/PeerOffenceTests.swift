import Consensus
import LedgerCore
import LedgerCrypto
import NodeAPI
import Testing
@testable import NodeRuntime

@Suite struct PeerOffenceLogTests {
    @Test func countsEveryOffenceButWarnsOncePerPeerAndReasonPerInterval() {
        var log = PeerOffences(warnIntervalMillis: 1_000)
        let calls: [(peer: Int, reason: DropReason, at: UInt64)] = [
            (3, .equivocation, 5_000), (3, .equivocation, 5_001), (3, .equivocation, 5_999),
            // Another reason, or another peer, has a warning of its own.
            (3, .malformed, 5_999), (1, .equivocation, 5_999),
            (3, .equivocation, 6_000), (3, .equivocation, 6_500),
        ]
        var warned: [Bool] = []
        for call in calls { warned.append(log.record(peer: call.peer, reason: call.reason, nowMillis: call.at)) }
        #expect(warned == [true, false, false, true, true, true, false])
        #expect(log.list.map { "\($0.peer) \($0.reason) \($0.count)" } == ["1 equivocation 1", "3 equivocation 5", "3 malformed 1"])
    }
}

/// Offences through the real driver: charged to the peer that sent them,
/// counted in the status and the observer, never to the honest nodes.
@Suite("Peer offences in the node", .serialized)
struct PeerOffenceTests {
    func vote(_ kind: VoteKind, view: ViewNumber, sequence: SequenceNumber, digest: Digest, by replica: Int, in cluster: InProcessCluster) throws -> SignedVote {
        let identity = try NodeIdentity.make(name: "node\(replica + 1)", replica: replica, genesis: cluster.genesis, nodeKey: cluster.nodeKeys[replica])
        let signer = try SuiteSigner(replica: ReplicaID(replica), suite: cluster.suite, key: cluster.nodeKeys[replica])
        return Signed.signing(
            Vote(kind: kind, view: view, sequence: sequence, digest: digest, replica: ReplicaID(replica)), with: signer,
            cluster: identity.genesisHash)
    }

    func frame(_ message: ConsensusMessage) -> [UInt8] {
        Canonical.encode(PeerFrame.consensus(Canonical.encode(message)))
    }

    @Test func garbageAndDoubleVotesAreChargedToTheirSenderOnly() async throws {
        let cluster = try InProcessCluster()
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        let ids = try await cluster.submit(6, via: 1)
        _ = try await cluster.waitForAgreement(on: ids)
        for node in 0..<4 {
            let offences = await cluster.backend(node).status().peerOffences
            #expect(offences == [], "honest traffic charged on node \(node): \(String(describing: offences))")
        }

        // Two PREPAREs for one (view, sequence) prove an equivocation only to a
        // replica in that view's normal case. Under load a replica can be in a
        // view change (alone, for as long as the others stay idle: the request
        // timeout here is 600 ms), or move on between reading its state and the
        // votes arriving, which makes them stale, not an offence. So each
        // attempt picks a replica in its normal case, a byzantine backup of its
        // view, and the top of its window, a sequence no honest vote reaches
        // while the cluster is idle.
        var found: (target: Int, byzantine: Int, vote: SignedVote)?
        attempts: for _ in 0..<100 {
            for target in 0..<4 {
                let replica = await cluster.driver(target).replica
                guard !replica.isChangingView else { continue }
                let primary = Int(replica.config.primary(of: replica.view).index)
                let byzantine = [3, 2, 1, 0].first { $0 != target && $0 != primary }!
                let sequence = replica.highWatermark
                let one = try vote(.prepare, view: replica.view, sequence: sequence, digest: cluster.suite.digest([1]), by: byzantine, in: cluster)
                let two = try vote(.prepare, view: replica.view, sequence: sequence, digest: cluster.suite.digest([2]), by: byzantine, in: cluster)
                await cluster.driver(target).receive(frame(.prepare(one)), from: byzantine)
                await cluster.driver(target).receive(frame(.prepare(two)), from: byzantine)
                let charged = await cluster.backend(target).status().peerOffences ?? []
                if charged.contains(where: { $0.peer == byzantine && $0.reason == "equivocation" }) {
                    found = (target, byzantine, one)
                    break attempts
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        guard let (target, byzantine, first) = found else {
            Issue.record("no equivocation charged in 100 rounds: no replica held a view long enough")
            return
        }
        let driver = cluster.driver(target)
        // A frame that does not decode, and a consensus message that does not decode.
        await driver.receive([0x30, 0x01], from: byzantine)
        await driver.receive(Canonical.encode(PeerFrame.consensus([0x04, 0x00])), from: byzantine)
        // Another peer sending the byzantine node's vote: a replay, charged to it.
        let relay = [0, 1, 2, 3].first { $0 != target && $0 != byzantine }!
        await driver.receive(frame(.prepare(first)), from: relay)

        let status = await cluster.backend(target).status()
        let expected = [
            PeerOffenceCount(peer: relay, reason: "notFromSigner", count: 1),
            PeerOffenceCount(peer: byzantine, reason: "equivocation", count: 1),
            PeerOffenceCount(peer: byzantine, reason: "malformed", count: 2),
        ]
        #expect(status.peerOffences == expected.sorted { ($0.peer, $0.reason) < ($1.peer, $1.reason) })
        // The cluster still commits.
        let more = try await cluster.submit(3, via: 0)
        _ = try await cluster.waitForAgreement(on: ids + more)
    }
}
