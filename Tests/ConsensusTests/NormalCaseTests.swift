import Consensus
import LedgerCore
import Testing

@Suite struct NormalCaseTests {
    @Test func aRequestCommitsEverywhereWithACertificate() throws {
        var cluster = try Cluster()
        cluster.submit("a")
        // Backups forward to the primary, which already has it: one batch.
        #expect(cluster.inFlight.filter { $0.kind == "prePrepare" }.count == 3)
        cluster.deliver { $0.kind != "status" }
        for index in 0..<4 {
            let executed = cluster.executed[index]
            #expect(executed.map(\.sequence) == [1])
            #expect(executed.first?.batch.requests == [Array("a".utf8)])
            let certificate = try #require(executed.first?.certificate)
            #expect(certificate.commits.count == 3)
            #expect(Set(certificate.commits.map(\.signer)).count == 3)
            #expect(certificate.digest == executed[0].batch.digest(using: Cluster.hash))
        }
        #expect(cluster.roots.allSatisfy { $0 == cluster.roots[0] })
    }

    @Test func stepsInOrder() throws {
        var cluster = try Cluster()
        cluster.submit("a", to: [0])
        // Pre-prepare out; nothing is prepared until backups vote.
        #expect(cluster.inFlight.map(\.kind) == ["prePrepare", "prePrepare", "prePrepare"])
        cluster.deliver { $0.kind == "prePrepare" }
        #expect(cluster.inFlight.filter { $0.kind == "prepare" }.count == 9)
        #expect(cluster.inFlight.filter { $0.kind == "commit" }.isEmpty)
        cluster.deliver { $0.kind == "prepare" }
        #expect(cluster.inFlight.filter { $0.kind == "commit" }.count == 12)
        #expect(cluster.executed.allSatisfy { $0.isEmpty })
        cluster.deliver { $0.kind == "commit" }
        #expect(cluster.executed.allSatisfy { $0.count == 1 })
    }

    @Test func persistComesBeforeTheVoteItProtects() throws {
        var cluster = try Cluster()
        let primary = cluster.step(0, .request(Array("a".utf8)))
        let persistAt = try #require(primary.firstIndex { if case .persist(.accepted) = $0 { true } else { false } })
        let sendAt = try #require(primary.firstIndex { if case .broadcast(.prePrepare) = $0 { true } else { false } })
        #expect(persistAt < sendAt)
        let envelope = try #require(cluster.inFlight.first { $0.to == ReplicaID(1) && $0.kind == "prePrepare" })
        let backup = cluster.step(1, .received(envelope.message))
        let accepted = try #require(backup.firstIndex { if case .persist(.accepted) = $0 { true } else { false } })
        let prepare = try #require(backup.firstIndex { if case .broadcast(.prepare) = $0 { true } else { false } })
        #expect(accepted < prepare)
    }

    @Test func batchingByCountAndByTime() throws {
        var cluster = try Cluster(window: 8, batchDelay: 5, maxBatchRequests: 2)
        cluster.submit("a", to: [0])
        // Below the count limit: the primary waits for its batch timer.
        #expect(cluster.inFlight.isEmpty)
        #expect(cluster.timers[0][.batch] != nil)
        cluster.submit("b", to: [0])
        // Full by count: proposed at once.
        #expect(cluster.inFlight.filter { $0.kind == "prePrepare" }.count == 3)
        cluster.submit("c", to: [0])
        #expect(cluster.inFlight.filter { $0.kind == "prePrepare" }.count == 3)
        cluster.fire(.batch, at: 0)
        #expect(cluster.inFlight.filter { $0.kind == "prePrepare" }.count == 6)
        cluster.deliver { $0.kind != "status" }
        #expect(cluster.executed[1].map { $0.batch.requests.count } == [2, 1])
    }

    @Test func severalSequencesInFlightUpToTheHighWatermark() throws {
        var cluster = try Cluster(checkpointInterval: 2, window: 4)
        for request in ["a", "b", "c", "d", "e", "f"] { cluster.submit(request, to: [0]) }
        let proposed = cluster.inFlight.filter { $0.kind == "prePrepare" && $0.to == ReplicaID(1) }
        // Window 4 above the stable checkpoint 0: sequences 1...4 only.
        #expect(proposed.count == 4)
        cluster.deliver { $0.kind != "status" }
        // Checkpoints at 2 and 4 become stable, the window moves, the rest follow.
        #expect(cluster.executed[2].map(\.sequence) == [1, 2, 3, 4, 5, 6])
        #expect(cluster.replica(2).lowWatermark == 6)
    }

    @Test func timestampsAreTheReplicaTimeAndMonotonic() throws {
        var cluster = try Cluster(window: 8)
        cluster.submit("a", to: [0])
        cluster.now += 50
        cluster.submit("b", to: [0])
        cluster.deliver { $0.kind != "status" }
        let times = cluster.executed[3].map(\.batch.timestamp)
        #expect(times == [1000, 1050])
    }
}
