import Consensus
import LedgerTesting

/// The faults of one run, drawn from the seed according to the profile.
struct FaultPlan {
    var loss = 0.0
    var duplication = 0.0
    var corruption = 0.0
    var longDelay = 0.0
    var skew = false
    var crashes = 0
    var wipes = 0
    /// State transfer takes a while (a node replays archived blocks), so the
    /// wiped replica spends whole views unable to execute.
    var slowStateTransfer = false
    var crashMidStep = false
    var maxDown = 0
    var partitions = 0
    var byzantine: Set<Int> = []

    static func make(_ profile: FaultProfile, replicaCount: Int, using rng: inout SeededGenerator) -> FaultPlan {
        let f = (replicaCount - 1) / 3
        var plan = FaultPlan()
        switch profile {
        case .none:
            break
        case .crash:
            plan.crashes = Int.random(in: 1...5, using: &rng)
            plan.crashMidStep = true
            // f+1 down at once takes the quorum away: recovery must still follow.
            plan.maxDown = f + 1
        case .partition:
            plan.partitions = Int.random(in: 1...4, using: &rng)
        case .chaos:
            plan.loss = Double.random(in: 0.02...0.2, using: &rng)
            plan.duplication = Double.random(in: 0...0.1, using: &rng)
            plan.corruption = Double.random(in: 0...0.03, using: &rng)
            plan.longDelay = Double.random(in: 0.02...0.1, using: &rng)
            plan.skew = true
        case .byzantine:
            plan.byzantine = pickByzantine(count: f, replicaCount: replicaCount, using: &rng)
        case .mixed:
            plan.crashes = Int.random(in: 0...3, using: &rng)
            plan.crashMidStep = Bool.random(using: &rng)
            plan.maxDown = f
            plan.partitions = Int.random(in: 0...2, using: &rng)
            plan.loss = Double.random(in: 0...0.08, using: &rng)
            plan.duplication = Double.random(in: 0...0.05, using: &rng)
            plan.corruption = Double.random(in: 0...0.01, using: &rng)
            plan.longDelay = Double.random(in: 0...0.05, using: &rng)
            plan.skew = Bool.random(using: &rng)
            plan.byzantine = pickByzantine(count: Int.random(in: 0...f, using: &rng), replicaCount: replicaCount, using: &rng)
        case .wipe:
            plan.wipes = Int.random(in: 1...3, using: &rng)
            // The wiped replica is the one faulty replica the cluster tolerates.
            plan.maxDown = 1
            plan.slowStateTransfer = true
        }
        return plan
    }

    /// Half the time the primary of view 0 is among them, so a byzantine
    /// primary is exercised often.
    static func pickByzantine(count: Int, replicaCount: Int, using rng: inout SeededGenerator) -> Set<Int> {
        guard count > 0 else { return [] }
        var chosen: Set<Int> = Bool.random(using: &rng) ? [0] : []
        while chosen.count < count { chosen.insert(Int.random(in: 0..<replicaCount, using: &rng)) }
        return chosen
    }

    func schedule(into queue: inout EventQueue<Simulation.SimEvent>, healAt: Millis, using rng: inout SeededGenerator) {
        for _ in 0..<crashes { queue.push(.crash, at: Millis.random(in: 1..<healAt, using: &rng)) }
        for _ in 0..<partitions { queue.push(.partition, at: Millis.random(in: 1..<healAt, using: &rng)) }
        for _ in 0..<wipes { queue.push(.wipe, at: Millis.random(in: 1..<healAt, using: &rng)) }
    }
}
