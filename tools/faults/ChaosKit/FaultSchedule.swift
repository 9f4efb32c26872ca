import LedgerTesting

/// The seeded list of faults a campaign injects, in order.
///
/// Faults come in rounds; each round is every kind once, shuffled, so the
/// shortest campaign still meets every fault. Rounds are added while the
/// estimated campaign time (holds, an allowance for recovery, gaps) stays
/// within the profile's budget.
public enum FaultSchedule {
    /// Time allowed, in the estimate, for a fault's recovery.
    static let recoveryAllowanceMillis = 6_000
    /// A clock moved by less than the node's timestamp bound (10 s) still votes;
    /// one moved by more has every batch it proposes refused.
    static let skews = [-25_000, -3_000, 3_000, 25_000]
    /// Bound on rounds, whatever the budget.
    static let maxRounds = 1_000

    public static func make(profile: CampaignProfile, nodeCount: Int, diskNode: Int, seed: UInt64) -> [Fault] {
        precondition(nodeCount >= 4, "a campaign needs at least 4 nodes")
        precondition((1...nodeCount).contains(diskNode), "the disk node must be one of the nodes")
        var rng = SeededGenerator(seed: seed)
        var faults: [Fault] = []
        var estimate = 0
        let budget = profile.faultSeconds * 1000
        for _ in 0..<maxRounds {
            var round: [Fault] = []
            var roundEstimate = 0
            for kind in FaultKind.allCases.shuffled(using: &rng) {
                let hold = Int.random(in: profile.holdMillis, using: &rng)
                let node = Int.random(in: 1...nodeCount, using: &rng)
                let fault: Fault
                switch kind {
                case .killPrimary:
                    fault = Fault(kind: kind, nodes: [], holdMillis: hold)
                case .diskFull:
                    fault = Fault(kind: kind, nodes: [diskNode], holdMillis: hold)
                case .splitHalves:
                    var others = Array(1...nodeCount).filter { $0 != node }.shuffled(using: &rng)
                    others.removeLast(others.count - (nodeCount / 2 - 1))
                    fault = Fault(kind: kind, nodes: ([node] + others).sorted(), holdMillis: hold)
                case .clockSkew:
                    fault = Fault(kind: kind, nodes: [node], holdMillis: hold, skewMillis: skews.randomElement(using: &rng)!)
                case .kill, .pause, .wipe, .isolate:
                    fault = Fault(kind: kind, nodes: [node], holdMillis: hold)
                }
                round.append(fault)
                roundEstimate += hold + recoveryAllowanceMillis + profile.gapMillis.upperBound
            }
            // The first round always runs; later ones only while they fit.
            if !faults.isEmpty && estimate + roundEstimate > budget { break }
            faults += round
            estimate += roundEstimate
        }
        return faults
    }

    /// The pause after fault `index`, also from the seed.
    public static func gap(profile: CampaignProfile, seed: UInt64, index: Int) -> Int {
        var rng = SeededGenerator(seed: seed ^ (0x9E37_79B9 &* UInt64(index + 1)))
        return Int.random(in: profile.gapMillis, using: &rng)
    }
}
