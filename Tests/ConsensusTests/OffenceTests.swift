import Consensus
import LedgerCore
import Testing

/// What the replica charges to a peer: only what no correct peer sends, and to
/// the right peer (the link for what it sent, the signer for an equivocation).
@Suite struct OffenceTests {
    func signed(_ content: Vote, in cluster: Cluster) -> SignedVote {
        let signer = cluster.signers[content.replica.index]
        return Signed(content: content, signature: signer.sign(Signed.signingMessage(for: content, cluster: cluster.config.cluster)))
    }

    func vote(_ kind: VoteKind, sequence: SequenceNumber = 1, digest: Digest, by replica: Int, in cluster: Cluster) -> SignedVote {
        signed(Vote(kind: kind, view: 0, sequence: sequence, digest: digest, replica: ReplicaID(replica)), in: cluster)
    }

    func offences(_ actions: [Action]) -> [String] {
        actions.compactMap { if case let .offence(peer, reason) = $0 { "\(peer.index):\(reason)" } else { nil } }
    }

    @Test func onlyReasonsACorrectPeerCannotCauseProveAFault() {
        let proving = Set(DropReason.allCases.filter(\.provesSenderFaulty))
        #expect(proving == [
            .malformed, .badSignature, .wrongSender, .ownMessage, .notFromSigner, .badBatch, .unacceptableBatch,
            .badCertificate, .equivocation, .badRequest,
        ])
        // Delay, reordering, retransmission and clock drift: honest peers cause these.
        for reason in [DropReason.staleView, .futureView, .outOfWindow, .duplicate, .queueFull, .badTimestamp, .missingBatch] {
            #expect(!reason.provesSenderFaulty, "\(reason)")
        }
    }

    /// Requests, batches, a checkpoint, a view change and STATUS catch-up, all
    /// over links that name their sender: no correct replica is ever accused.
    @Test func honestTrafficIsNeverAnOffence() throws {
        // No stable checkpoint in this run: the lagging replica catches up by certificates, not state transfer.
        var cluster = try Cluster(checkpointInterval: 8, window: 16)
        for request in ["a", "b", "c"] {
            cluster.submit(request)
            cluster.deliver { $0.kind != "status" }
        }
        // Replica 3 misses a round, then catches up from STATUS answers (relayed pre-prepares included).
        cluster.submit("d", to: [0, 1, 2])
        cluster.drop { $0.to == ReplicaID(3) }
        cluster.deliver { $0.to != ReplicaID(3) && $0.kind != "status" }
        cluster.broadcastStatus(from: 3)
        cluster.deliver()
        // A view change: the primary is suspected.
        cluster.submit("e", to: [1, 2, 3])
        cluster.drop { $0.to == ReplicaID(0) }
        for index in 1...3 { cluster.fire(.progress, at: index) }
        cluster.deliver { $0.kind != "status" }
        for index in 0..<4 { cluster.broadcastStatus(from: index) }
        cluster.deliver()
        #expect(cluster.replica(1).view >= 1)
        for index in 0..<4 {
            #expect(cluster.replica(index).stats.offences.isEmpty, "replica \(index): \(cluster.replica(index).stats.offences)")
            #expect(cluster.executed[index].filter { !$0.batch.isNull }.count == 5, "replica \(index)")
        }
    }

    @Test func aDoubleVoteIsAnEquivocationOfItsSigner() throws {
        for kind in [VoteKind.prepare, .commit] {
            var cluster = try Cluster(window: 8)
            let first = vote(kind, digest: Cluster.hash.digest([1]), by: 2, in: cluster)
            let second = vote(kind, digest: Cluster.hash.digest([2]), by: 2, in: cluster)
            let wrap: (SignedVote) -> ConsensusMessage = { kind == .prepare ? .prepare($0) : .commit($0) }
            #expect(offences(cluster.step(1, .received(wrap(first), from: ReplicaID(2)))).isEmpty)
            // The same vote again is a retransmission, not an offence.
            #expect(offences(cluster.step(1, .received(wrap(first), from: ReplicaID(2)))).isEmpty)
            let actions = cluster.step(1, .received(wrap(second), from: ReplicaID(2)))
            #expect(offences(actions) == ["2:equivocation"], "\(kind)")
            let stats = cluster.replica(1).stats
            #expect(stats.equivocationsSeen == 1)
            #expect(stats.dropped[.duplicate] == 1)
            #expect(stats.offences == [ReplicaID(2): [.equivocation: 1]])
        }
    }

    /// Without a valid signature the second vote proves nothing about its
    /// claimed signer, only about the peer that sent it.
    @Test func aForgedSecondVoteIsABadSignatureOfTheLink() throws {
        var cluster = try Cluster(window: 8)
        cluster.step(1, .received(.prepare(vote(.prepare, digest: Cluster.hash.digest([1]), by: 2, in: cluster)), from: ReplicaID(2)))
        let forged = Signed(
            content: Vote(kind: .prepare, view: 0, sequence: 1, digest: Cluster.hash.digest([2]), replica: ReplicaID(2)),
            signature: [1, 2, 3])
        let actions = cluster.step(1, .received(.prepare(forged), from: ReplicaID(2)))
        #expect(offences(actions) == ["2:badSignature"])
        #expect(cluster.replica(1).stats.equivocationsSeen == 0)
    }

    /// Backups relay the primary's pre-prepares (STATUS catch-up): the
    /// equivocation is the primary's even when a correct backup delivered it.
    @Test func anEquivocatingPrePrepareIsChargedToThePrimaryNotTheRelay() throws {
        var cluster = try Cluster(window: 8)
        cluster.submit("a", to: [0])
        let first = try #require(cluster.inFlight.first { $0.to == ReplicaID(1) && $0.kind == "prePrepare" })
        cluster.step(1, .received(first.message, from: ReplicaID(0)))
        let other = try Batch(timestamp: 1000, requests: [Array("x".utf8)])
        let conflicting = vote(.prePrepare, digest: other.digest(using: Cluster.hash), by: 0, in: cluster)
        let actions = cluster.step(1, .received(.prePrepare(conflicting, other), from: ReplicaID(2)))
        #expect(offences(actions) == ["0:equivocation"])
        #expect(cluster.replica(1).stats.equivocationsSeen == 1)
        #expect(cluster.replica(1).isChangingView)
    }

    @Test func messagesInOurOwnName() throws {
        var cluster = try Cluster(window: 8)
        // Our own PREPARE sent back to us: no correct peer relays votes.
        let ours = vote(.prepare, digest: Cluster.hash.digest([1]), by: 1, in: cluster)
        #expect(offences(cluster.step(1, .received(.prepare(ours), from: ReplicaID(3)))) == ["3:ownMessage"])

        // Our genuine PRE-PREPARE relayed back by STATUS catch-up is a duplicate; a forged one is not.
        cluster.submit("a", to: [0])
        let prePrepare = try #require(cluster.inFlight.first { $0.to == ReplicaID(1) && $0.kind == "prePrepare" }).message
        #expect(offences(cluster.step(0, .received(prePrepare, from: ReplicaID(1)))).isEmpty)
        #expect(cluster.replica(0).stats.dropped[.duplicate] == 1)
        guard case let .prePrepare(genuine, batch) = prePrepare else { Issue.record("not a pre-prepare"); return }
        let forged = Signed(content: genuine.content, signature: [9, 9, 9])
        #expect(offences(cluster.step(0, .received(.prePrepare(forged, batch), from: ReplicaID(2)))) == ["2:ownMessage"])
    }

    @Test func aVoteFromAPeerThatDidNotSignItIsAReplay() throws {
        var cluster = try Cluster(window: 8)
        let byThree = vote(.commit, digest: Cluster.hash.digest([1]), by: 3, in: cluster)
        #expect(offences(cluster.step(1, .received(.commit(byThree), from: ReplicaID(2)))) == ["2:notFromSigner"])
        // Not stored: the same vote from its signer still counts.
        #expect(offences(cluster.step(1, .received(.commit(byThree), from: ReplicaID(3)))).isEmpty)
        #expect(cluster.replica(1).stats.dropped[.duplicate] == nil)
    }

    @Test func aBatchBrokenByTheRulesIsChargedButALateOneIsNot() throws {
        var cluster = try Cluster(window: 8)
        let repeated = try Batch(timestamp: cluster.now, requests: [Array("x".utf8), Array("x".utf8)])
        let badVote = vote(.prePrepare, digest: repeated.digest(using: Cluster.hash), by: 0, in: cluster)
        #expect(offences(cluster.step(1, .received(.prePrepare(badVote, repeated), from: ReplicaID(0)))) == ["0:unacceptableBatch"])

        let stale = try Batch(timestamp: cluster.now + cluster.config.timestampBound + 1, requests: [Array("y".utf8)])
        let lateVote = vote(.prePrepare, sequence: 2, digest: stale.digest(using: Cluster.hash), by: 0, in: cluster)
        #expect(offences(cluster.step(1, .received(.prePrepare(lateVote, stale), from: ReplicaID(0)))).isEmpty)
        #expect(cluster.replica(1).stats.dropped[.badTimestamp] == 1)

        let mismatched = try Batch(timestamp: cluster.now, requests: [Array("z".utf8)])
        #expect(offences(cluster.step(1, .received(.prePrepare(lateVote, mismatched), from: ReplicaID(0)))) == ["0:badBatch"])
    }

    @Test func garbageIsChargedOnlyWhenTheLinkIsKnown() throws {
        var cluster = try Cluster()
        #expect(offences(cluster.step(2, .message([0x30, 0x03, 0x02, 0x01]))).isEmpty)
        #expect(offences(cluster.step(2, .message([0x30, 0x03, 0x02, 0x01], from: ReplicaID(3)))) == ["3:malformed"])
        #expect(cluster.replica(2).stats.dropped[.malformed] == 2)
        #expect(cluster.replica(2).stats.offences == [ReplicaID(3): [.malformed: 1]])
    }
}
