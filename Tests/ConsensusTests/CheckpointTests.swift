import Consensus
import LedgerCore
import Testing

@Suite struct CheckpointTests {
    @Test func stableCheckpointTruncatesTheLog() throws {
        var cluster = try Cluster(checkpointInterval: 2, window: 4)
        cluster.submit("a", to: [0])
        cluster.submit("b", to: [0])
        cluster.deliver { $0.kind != "checkpoint" && $0.kind != "status" }
        #expect(cluster.replica(1).lowWatermark == 0)
        #expect(cluster.replica(1).logSize == 2)
        cluster.deliver { $0.kind == "checkpoint" }
        for index in 0..<4 {
            let replica = cluster.replica(index)
            #expect(replica.lowWatermark == 2)
            #expect(replica.stable.votes.count == 3)
            #expect(replica.stable.stateRoot == cluster.roots[0])
            #expect(replica.logSize == 0)
        }
    }

    @Test func aReplicaBehindAStableCheckpointFetchesState() throws {
        var cluster = try Cluster(checkpointInterval: 2, window: 4)
        // Replica 3 hears nothing while the others commit four batches.
        for request in ["a", "b", "c", "d"] { cluster.submit(request, to: [0]) }
        cluster.drop { $0.to == ReplicaID(3) }
        for _ in 0..<8 {
            cluster.deliver { $0.to != ReplicaID(3) && $0.kind != "status" }
            cluster.drop { $0.to == ReplicaID(3) }
        }
        #expect(cluster.replica(0).lowWatermark == 4)
        #expect(cluster.executed[3].isEmpty)
        // Its status reveals it is behind; a peer answers with the stable checkpoint.
        cluster.broadcastStatus(from: 3)
        cluster.deliver { $0.kind == "status" && $0.from == ReplicaID(3) }
        cluster.deliver { $0.to == ReplicaID(3) && $0.kind == "stableCheckpoint" }
        let fetch = try #require(cluster.fetches[3].last)
        #expect(fetch.sequence == 4)
        #expect(cluster.replica(3).stateTransferTarget == 4)
        cluster.step(3, .stateTransferred(4, stateRoot: fetch.stateRoot))
        #expect(cluster.replica(3).lastExecuted == 4)
        #expect(cluster.replica(3).stateTransferTarget == nil)
    }

    @Test func aStateTransferWithTheWrongRootIsIgnored() throws {
        var cluster = try Cluster(checkpointInterval: 2, window: 4)
        for request in ["a", "b"] { cluster.submit(request, to: [0]) }
        cluster.drop { $0.to == ReplicaID(3) }
        for _ in 0..<4 {
            cluster.deliver { $0.to != ReplicaID(3) && $0.kind != "status" }
            cluster.drop { $0.to == ReplicaID(3) }
        }
        cluster.broadcastStatus(from: 3)
        cluster.deliver { $0.kind == "status" && $0.from == ReplicaID(3) }
        cluster.deliver { $0.to == ReplicaID(3) && $0.kind == "stableCheckpoint" }
        cluster.step(3, .stateTransferred(2, stateRoot: Cluster.hash.digest([1, 2, 3])))
        #expect(cluster.replica(3).lastExecuted == 0)
        #expect(cluster.replica(3).stateTransferTarget == 2)
    }
}
