import Consensus
import LedgerCore
import Testing

/// A replica restarted with an empty data folder is amnesiac (one of the f
/// faulty) and fetches state before it can execute anything. The other 2f+1
/// must go on committing whatever it does meanwhile.
@Suite struct WipeTests {
    /// Four batches committed and checkpoint 4 stable everywhere; then
    /// replica 1 is wiped and learns, from a peer's answer to its STATUS, that
    /// it must fetch the state at 4. The test never completes that transfer.
    func clusterWithAFetchingReplica() throws -> Cluster {
        var cluster = try Cluster(checkpointInterval: 2, window: 4)
        for request in ["a", "b", "c", "d"] { cluster.submit(request, to: [0]) }
        cluster.deliver { $0.kind != "status" }
        cluster.wipe(1)
        cluster.deliver { $0.kind == "status" && $0.from == ReplicaID(1) }
        cluster.deliver { $0.to == ReplicaID(1) && $0.kind == "stableCheckpoint" }
        cluster.drop { $0.kind == "status" }
        #expect(cluster.replica(1).stateTransferTarget == 4)
        return cluster
    }

    @Test func aReplicaFetchingStateDoesNotSuspectThePrimary() throws {
        var cluster = try clusterWithAFetchingReplica()
        // A client hands the wiped node a request: it cannot execute it before
        // its transfer ends, however well the primary does.
        cluster.submit("e", to: [1])
        #expect(cluster.timers[1][.progress] == nil)
        cluster.fire(.progress, at: 1)
        let wiped = cluster.replica(1)
        #expect(wiped.view == 0)
        #expect(wiped.isChangingView == false)
        // The request reached the primary, and the others commit it.
        cluster.deliver { $0.kind != "status" }
        for index in [0, 2, 3] { #expect(cluster.executed[index].count == 5) }
    }

    @Test func aFetchingReplicaDoesNotMakeOneSuspicionEnoughToChangeViews() throws {
        var cluster = try clusterWithAFetchingReplica()
        // One correct backup suspects the primary (it never got the request);
        // alone it cannot move the others: f+1 are needed, and the fetching
        // replica must not be the other one.
        cluster.submit("e", to: [1, 2])
        cluster.drop { $0.kind == "request" }
        cluster.fire(.progress, at: 1)
        cluster.fire(.progress, at: 2)
        #expect(cluster.replica(2).isChangingView == true)
        cluster.deliver { $0.kind == "viewChange" }
        for index in [0, 3] {
            let replica = cluster.replica(index)
            #expect(replica.view == 0)
            #expect(replica.isChangingView == false)
        }
    }

    @Test func theRequestTimerResumesOnceTheTransferEnds() throws {
        var cluster = try clusterWithAFetchingReplica()
        let target = try #require(cluster.fetches[1].last)
        cluster.step(1, .stateTransferred(target.sequence, stateRoot: target.stateRoot))
        #expect(cluster.replica(1).stateTransferTarget == nil)
        cluster.submit("e", to: [1])
        #expect(cluster.timers[1][.progress] != nil)
    }
}
