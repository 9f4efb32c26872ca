import Consensus
import LedgerCore
import Testing

@Suite struct ViewChangeTests {
    /// Everyone prepared sequence 1 but no COMMIT arrived; the primary is then
    /// suspected. The prepared batch must come back at sequence 1 in view 1.
    @Test func aPreparedButUncommittedBatchIsCarriedIntoTheNewView() throws {
        var cluster = try Cluster(window: 8)
        cluster.submit("a")
        cluster.drop { $0.kind == "request" }
        cluster.deliver { $0.kind == "prePrepare" || $0.kind == "prepare" }
        cluster.drop { $0.kind == "commit" }
        #expect(cluster.executed.allSatisfy { $0.isEmpty })
        let digest = try #require(cluster.durable[2].prepared[1]?.certificate.digest)

        for index in 1...3 { cluster.fire(.progress, at: index) }
        let changes = cluster.inFlight.compactMap { envelope -> Signed<ViewChange>? in
            if case let .viewChange(change, _) = envelope.message { change } else { nil }
        }
        #expect(changes.allSatisfy { $0.content.newView == 1 && $0.content.prepared.map(\.sequence) == [1] })
        cluster.deliver { $0.kind != "status" }

        for index in 0..<4 {
            #expect(cluster.replica(index).view == 1)
            #expect(!cluster.replica(index).isChangingView)
            let executed = try #require(cluster.executed[index].first)
            #expect(executed.sequence == 1)
            #expect(executed.batch.requests == [Array("a".utf8)])
            #expect(executed.certificate.view == 1)
            #expect(executed.certificate.digest == digest)
        }
    }

    /// Sequence 1 never prepared anywhere, sequence 2 did: the new view fills 1
    /// with the null batch, keeps 2, and the new primary proposes "a" again at 3.
    @Test func aGapBecomesANullBatch() throws {
        var cluster = try Cluster(window: 8)
        cluster.submit("a")
        cluster.drop { $0.kind == "prePrepare" || $0.kind == "request" }
        cluster.submit("b")
        cluster.drop { $0.kind == "request" }
        cluster.deliver { $0.kind == "prePrepare" || $0.kind == "prepare" }
        cluster.drop { $0.kind == "commit" }
        for index in 1...3 { cluster.fire(.progress, at: index) }
        cluster.deliver { $0.kind != "status" }

        for index in 0..<4 {
            let executed = cluster.executed[index]
            #expect(executed.map(\.sequence) == [1, 2, 3])
            #expect(executed.map(\.batch.requests) == [[], [Array("b".utf8)], [Array("a".utf8)]])
            #expect(executed.first?.batch.isNull == true)
        }
    }

    /// A replica restarted between sending VIEW-CHANGE and seeing NEW-VIEW comes
    /// back still changing, resends the same VIEW-CHANGE, and joins the new view.
    @Test func aRestartInTheMiddleOfAViewChange() throws {
        var cluster = try Cluster(window: 8)
        cluster.submit("a")
        cluster.drop { $0.kind == "request" }
        cluster.deliver { $0.kind == "prePrepare" || $0.kind == "prepare" }
        cluster.drop { $0.kind == "commit" }
        for index in 1...3 { cluster.fire(.progress, at: index) }
        let sent = try #require(cluster.durable[2].viewChange)

        cluster.crash(2)
        cluster.restart(2)
        #expect(cluster.replica(2).view == 1)
        #expect(cluster.replica(2).isChangingView)
        let resent = cluster.inFlight.compactMap { envelope -> Signed<ViewChange>? in
            if envelope.from == ReplicaID(2), case let .viewChange(change, _) = envelope.message { change } else { nil }
        }
        #expect(!resent.isEmpty && resent.allSatisfy { $0 == sent })

        cluster.deliver { $0.kind != "status" }
        for index in 0..<4 {
            #expect(cluster.replica(index).view == 1)
            #expect(cluster.executed[index].map(\.sequence) == [1])
        }
    }

    /// The next primary is down too: the view-change timer fires, the replicas
    /// move on to view 2 with a doubled timeout, and the request commits there.
    @Test func viewChangeTimeoutBacksOff() throws {
        var cluster = try Cluster(window: 8)
        cluster.crash(1)
        cluster.submit("a", to: [0, 2, 3])
        cluster.drop { $0.kind == "prePrepare" || $0.kind == "request" }
        var timeouts: [Millis] = []
        func record(_ actions: [Action]) {
            for case let .setTimer(timer, after) in actions where timer.kind == .progress { timeouts.append(after) }
        }
        for index in [2, 3] { record(cluster.step(index, .timerFired(cluster.timers[index][.progress]!))) }
        // r0 joins on f+1 VIEW-CHANGEs; with 2f+1 the NEW-VIEW timers start.
        while let position = cluster.inFlight.firstIndex(where: { $0.kind == "viewChange" }) {
            let envelope = cluster.inFlight.remove(at: position)
            if cluster.replicas[envelope.to.index] != nil {
                record(cluster.step(envelope.to.index, .message(Canonical.encode(envelope.message))))
            }
        }
        #expect(timeouts == [500, 500, 500])
        timeouts = []
        for index in [0, 2, 3] { record(cluster.step(index, .timerFired(cluster.timers[index][.progress]!))) }
        cluster.deliver { $0.kind != "status" }
        #expect(cluster.replica(2).view == 2)
        #expect(cluster.executed[3].map(\.batch.requests) == [[Array("a".utf8)]])
    }

    /// Two signed pre-prepares for one (view, sequence) prove the primary
    /// equivocated; the backup leaves the view at once.
    @Test func anEquivocatingPrimaryCausesAViewChange() throws {
        var cluster = try Cluster(window: 8)
        cluster.submit("a", to: [0])
        let first = try #require(cluster.inFlight.first { $0.to == ReplicaID(1) && $0.kind == "prePrepare" })
        cluster.step(1, .received(first.message))
        let other = try Batch(timestamp: 1000, requests: [Array("x".utf8)])
        let vote = Vote(kind: .prePrepare, view: 0, sequence: 1, digest: other.digest(using: Cluster.hash), replica: ReplicaID(0))
        let signed = Signed(content: vote, signature: cluster.signers[0].sign(Signed.signingMessage(for: vote, cluster: cluster.config.cluster)))
        let actions = cluster.step(1, .received(.prePrepare(signed, other)))
        #expect(cluster.replica(1).isChangingView)
        #expect(cluster.replica(1).stats.equivocationsSeen == 1)
        #expect(!actions.contains { if case let .broadcast(.prepare(p)) = $0 { p.content.digest == vote.digest } else { false } })
    }
}
