import Consensus
import LedgerCore
import Testing

@Suite struct RecoveryTests {
    /// A backup voted PREPARE for one batch and crashed. Restarted from its
    /// records, it must not vote for another batch at the same (view, sequence).
    @Test func aRestartedReplicaNeverSignsAConflictingVote() throws {
        var cluster = try Cluster(window: 8)
        cluster.submit("a", to: [0])
        let first = try #require(cluster.inFlight.first { $0.to == ReplicaID(1) && $0.kind == "prePrepare" })
        cluster.step(1, .received(first.message))
        cluster.crash(1)
        cluster.restart(1)

        let other = try Batch(timestamp: 1000, requests: [Array("x".utf8)])
        let vote = Vote(kind: .prePrepare, view: 0, sequence: 1, digest: other.digest(using: Cluster.hash), replica: ReplicaID(0))
        let signed = Signed(content: vote, signature: cluster.signers[0].sign(Signed.signingMessage(for: vote, cluster: cluster.config.cluster)))
        let actions = cluster.step(1, .received(.prePrepare(signed, other)))
        #expect(!actions.contains { if case let .broadcast(.prepare(p)) = $0 { p.content.digest == vote.digest } else { false } })
        #expect(cluster.replica(1).isChangingView)
    }

    /// A primary restarted after proposing continues after its last sequence.
    @Test func aRestartedPrimaryDoesNotReuseASequence() throws {
        var cluster = try Cluster(window: 8)
        cluster.submit("a", to: [0])
        cluster.crash(0)
        cluster.restart(0)
        cluster.submit("b", to: [0])
        let sequences = cluster.inFlight.compactMap { envelope -> SequenceNumber? in
            if case let .prePrepare(vote, _) = envelope.message, envelope.to == ReplicaID(1) { vote.content.sequence } else { nil }
        }
        #expect(sequences == [1, 2])
    }

    /// Committed but not executed before the crash: executed after the restart
    /// from the persisted commit certificate, with no message from anyone.
    @Test func committedBatchesSurviveACrash() throws {
        var cluster = try Cluster(window: 8)
        cluster.submit("a", to: [0])
        cluster.deliver { $0.kind != "status" && !($0.kind == "commit" && $0.to == ReplicaID(2)) }
        cluster.deliver { $0.kind == "commit" && $0.to == ReplicaID(2) && $0.from != ReplicaID(3) }
        #expect(cluster.executed[2].count == 1)
        let certificate = try #require(cluster.durable[2].committed[1])
        #expect(certificate.batch.requests == [Array("a".utf8)])
        // Lose the execution result too: the application is behind the log.
        cluster.executed[2] = []
        cluster.crash(2)
        cluster.restart(2)
        #expect(cluster.executed[2].map(\.sequence) == [1])
    }

    /// The application wrote checkpoint block 2, then the replica crashed before
    /// its checkpoint vote was persisted: restored with the application's root,
    /// it casts that vote (persisted, then broadcast) on start.
    @Test func aCheckpointVoteLostInACrashIsCastOnRestart() throws {
        var cluster = try Cluster(checkpointInterval: 2, window: 4)
        for request in ["a", "b"] { cluster.submit(request, to: [0]) }
        cluster.deliver { $0.kind != "status" && $0.kind != "checkpoint" }
        #expect(cluster.executed[1].map(\.sequence) == [1, 2])
        let lost = try #require(cluster.durable[1].checkpointVotes[2])
        var withoutVote = PersistentState()
        for record in cluster.durable[1].records {
            if case .checkpointVote = record { continue }
            withoutVote.apply(record)
        }
        cluster.crash(1)
        var restored = Replica(
            config: cluster.config, signer: cluster.signers[1], verifier: cluster.verifier, hash: Cluster.hash,
            restoring: withoutVote, executedThrough: 2, executedRoot: lost.content.digest)
        let actions = restored.step(.start, now: 10_000)
        let persisted = actions.firstIndex { if case let .persist(.checkpointVote(vote)) = $0 { vote == lost } else { false } }
        let sent = actions.firstIndex { if case let .broadcast(.checkpoint(vote)) = $0 { vote == lost } else { false } }
        #expect(persisted != nil && sent != nil && persisted! < sent!)

        // Without the root (or with the vote on record) nothing is re-cast.
        var plain = Replica(
            config: cluster.config, signer: cluster.signers[1], verifier: cluster.verifier, hash: Cluster.hash,
            restoring: withoutVote, executedThrough: 2)
        #expect(!plain.step(.start, now: 10_000).contains { if case .persist(.checkpointVote) = $0 { true } else { false } })
    }

    @Test func persistentRecordsRoundTripAndCompact() throws {
        var cluster = try Cluster(checkpointInterval: 2, window: 4)
        for request in ["a", "b", "c"] { cluster.submit(request, to: [0]) }
        cluster.deliver { $0.kind != "status" }
        let state = cluster.durable[1]
        #expect(state.stable?.sequence == 2)
        #expect(state.accepted.keys.sorted() == [3])
        var rebuilt = PersistentState()
        for record in state.records {
            let bytes = Canonical.encode(record)
            let decoded = try Canonical.decode(PersistentRecord.self, from: bytes)
            #expect(decoded == record)
            rebuilt.apply(decoded)
        }
        #expect(rebuilt == state)
    }
}
