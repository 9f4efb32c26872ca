/// The faults a campaign injects into a running devnet. Each one is healed
/// before the next begins, so at most one node (f = 1 of 4) is faulty at a
/// time — except `splitHalves`, which cuts the network into two pairs and so
/// stops commitment on purpose until it heals (safety must hold; liveness
/// returns after).
public enum FaultKind: String, CaseIterable, Sendable, Codable, Hashable {
    /// SIGKILL one node, restart it after the hold.
    case kill
    /// SIGKILL whichever node is primary now, restart it after the hold.
    case killPrimary
    /// SIGSTOP one node, SIGCONT it after the hold: alive to the kernel, silent to its peers.
    case pause
    /// SIGKILL one node and delete its data folder; it rejoins by state transfer.
    case wipe
    /// Cut every link to and from one node (its process keeps running).
    case isolate
    /// Cut the network into two pairs: no quorum on either side.
    case splitHalves
    /// Fill the small file system that holds one node's data: its next write fails.
    case diskFull
    /// Restart one node with its wall clock moved (libfaketime), then restore it.
    case clockSkew

    /// How many nodes the fault leaves unable to take part.
    public var nodesAffected: Int { self == .splitHalves ? 4 : 1 }
}

/// One fault of a campaign, fully decided up front from the seed, so a failing
/// campaign can be replayed with `--seed`.
public struct Fault: Sendable, Codable, Hashable, CustomStringConvertible {
    public let kind: FaultKind
    /// 1-based node numbers. `killPrimary` names none: its target is read at injection time.
    public let nodes: [Int]
    public let holdMillis: Int
    /// Clock offset for `clockSkew`, in milliseconds (negative: behind).
    public let skewMillis: Int

    public init(kind: FaultKind, nodes: [Int], holdMillis: Int, skewMillis: Int = 0) {
        self.kind = kind
        self.nodes = nodes
        self.holdMillis = holdMillis
        self.skewMillis = skewMillis
    }

    public var description: String {
        let who = nodes.isEmpty ? "the primary" : nodes.map { "node\($0)" }.joined(separator: "+")
        let skew = kind == .clockSkew ? " by \(skewMillis >= 0 ? "+" : "")\(Double(skewMillis) / 1000) s" : ""
        return "\(kind.rawValue) \(who)\(skew) for \(Double(holdMillis) / 1000) s"
    }
}
