import Consensus
import LedgerCore
import Testing

/// Regressions from a review: forged view-change traffic must be dropped
/// cheaply, never trap, and a new primary restarted mid view change must not
/// sign against its own NEW-VIEW.
@Suite("Hostile view changes and a restarted new primary")
struct HostileViewChangeTests {
    static func forged(_ vote: Vote) -> SignedVote { Signed(content: vote, signature: [1, 2, 3]) }

    static func certificate(at sequence: UInt64, digest: Digest) -> PreparedCertificate {
        PreparedCertificate(
            prePrepare: forged(Vote(kind: .prePrepare, view: 0, sequence: sequence, digest: digest, replica: ReplicaID(0))),
            prepares: [1, 2].map { forged(Vote(kind: .prepare, view: 0, sequence: sequence, digest: digest, replica: ReplicaID($0))) })
    }

    @Test("An unsigned VIEW-CHANGE with a checkpoint near 2^64 is dropped, not an arithmetic trap")
    func checkpointNearTheTop() throws {
        var cluster = try Cluster(window: 8)
        let batch = try Batch(timestamp: 1000, requests: [Array("x".utf8)])
        let checkpoint = CheckpointCertificate(sequence: UInt64.max - 1, stateRoot: Cluster.genesis, votes: [])
        let change = Signed(
            content: ViewChange(newView: 1, replica: ReplicaID(2), checkpoint: checkpoint,
                                prepared: [Self.certificate(at: .max, digest: batch.digest(using: Cluster.hash))]),
            signature: [9])
        let before = cluster.replica(1).stats.droppedTotal
        _ = cluster.step(1, .message(Canonical.encode(ConsensusMessage.viewChange(change, batches: [batch]))))
        #expect(cluster.replica(1).stats.droppedTotal == before + 1)
    }

    @Test("A forged NEW-VIEW naming a far sequence is dropped without building a plan beyond the window")
    func farSequenceInNewView() throws {
        var cluster = try Cluster(window: 8)
        let batch = try Batch(timestamp: 1000, requests: [Array("x".utf8)])
        let genesis = CheckpointCertificate.genesis(stateRoot: Cluster.genesis)
        // Far enough that a plan of one entry per sequence would take minutes
        // and gigabytes; bounded by the window it is empty.
        let far: UInt64 = 1 << 40
        let changes = [0, 1, 3].map { index in
            Signed(
                content: ViewChange(newView: 1, replica: ReplicaID(index), checkpoint: genesis,
                                    prepared: index == 0 ? [Self.certificate(at: far, digest: batch.digest(using: Cluster.hash))] : []),
                signature: [9])
        }
        let newView = Signed(content: NewView(view: 1, replica: ReplicaID(1), viewChanges: changes, prePrepares: []), signature: [7])
        let before = cluster.replica(2).stats.droppedTotal
        _ = cluster.step(2, .message(Canonical.encode(ConsensusMessage.newView(newView, batches: []))))
        #expect(cluster.replica(2).stats.droppedTotal == before + 1)
        #expect(cluster.replica(2).view == 0)
    }

    @Test("A new primary that crashes after persisting its NEW-VIEW never proposes against it after restart")
    func primaryRestartAfterNewView() throws {
        var cluster = try Cluster(window: 8)
        cluster.submit("a")
        cluster.drop { $0.kind == "request" }
        cluster.deliver { $0.kind == "prePrepare" || $0.kind == "prepare" }
        cluster.drop { $0.kind == "commit" }
        for index in 1...3 { cluster.fire(.progress, at: index) }
        // Deliver VIEW-CHANGEs to the new primary (replica 1) until it sends
        // its NEW-VIEW, and keep only what it had made durable up to that record.
        var sent: Signed<NewView>?
        var durableAtCrash = cluster.durable[1]
        while sent == nil, let position = cluster.inFlight.firstIndex(where: { $0.to.index == 1 && $0.kind == "viewChange" }) {
            let envelope = cluster.inFlight.remove(at: position)
            var partial = cluster.durable[1]
            for action in cluster.step(1, .message(Canonical.encode(envelope.message))) {
                guard case let .persist(record) = action else { continue }
                partial.apply(record)
                if case let .newView(newView) = record {
                    sent = newView
                    break
                }
            }
            durableAtCrash = partial
        }
        let newView = try #require(sent)
        #expect(!newView.content.prePrepares.isEmpty, "the prepared request must be carried into view 1")
        cluster.crash(1)
        cluster.durable[1] = durableAtCrash
        cluster.restart(1)
        cluster.inFlight.removeAll()
        cluster.submit("b", to: [1])
        let proposed = cluster.inFlight.compactMap { envelope -> SignedVote? in
            guard envelope.from.index == 1, case let .prePrepare(vote, _) = envelope.message else { return nil }
            return vote
        }
        #expect(!proposed.isEmpty, "the restarted primary should still propose the new request")
        for vote in proposed {
            let conflict = newView.content.prePrepares.contains {
                $0.content.view == vote.content.view && $0.content.sequence == vote.content.sequence
                    && $0.content.digest != vote.content.digest
            }
            #expect(!conflict, "pre-prepare at \(vote.content.sequence) conflicts with the NEW-VIEW")
        }
    }
}

@Suite("Requests that reach only the backups")
struct BackupOnlyRequestTests {
    @Test("A request handed to every backup but not the primary still commits in view 0, without a view change")
    func backupsRelayToThePrimary() throws {
        var cluster = try Cluster(window: 8)
        let request = Array("only-backups".utf8)
        for index in 1...3 {
            _ = cluster.step(index, .message(Canonical.encode(ConsensusMessage.request(request))))
        }
        cluster.deliver()
        for index in 0..<4 {
            #expect(cluster.replica(index).view == 0)
            #expect(cluster.executed[index].contains { $0.batch.requests.contains(request) }, "replica \(index)")
        }
    }
}
