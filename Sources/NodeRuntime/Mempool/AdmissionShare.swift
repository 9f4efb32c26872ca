/// How many transactions one node may hold admitted and uncommitted: at most
/// its share of a replica's request queue.
///
/// Why: every backup forwards what it admits to the primary, so the primary's
/// queue (`max_pending_requests`) receives all nodes' transactions. When it is
/// full it drops forwarded requests; the backups that hold them see nothing of
/// theirs execute, suspect an honest primary, and change views. Under overload
/// each view change costs more work, so the cluster went from 700 tx/s to dozens
/// of view changes and kept changing views after the load had stopped
/// (docs/performance.md, "Overload and admission"). Holding each node to
/// `max_pending_requests / replicas` keeps the primary's queue from overflowing;
/// the load the cluster cannot take is answered 503 with Retry-After instead,
/// before anything is promised.
extension Mempool.Limits {
    static func admissionShare(maxPendingRequests: Int, replicas: Int) -> Int {
        precondition(maxPendingRequests >= 1 && replicas >= 1, "a replica queue and a replica set are never empty")
        return max(1, maxPendingRequests / replicas)
    }
}
