import Consensus
import LedgerCore
import LedgerTesting

/// How a byzantine replica misbehaves. It runs the real replica code and signs
/// only with its own key; the simulator rewrites what it sends.
struct ByzantineBehaviour: Sendable {
    var equivocate = false
    var doubleVote = false
    var withhold = false
    var replay = false
    var garbage = false
    /// Replicas it withholds everything from.
    var victims: Set<Int> = []
    /// Recently seen messages, for replays; bounded.
    var memory: [[UInt8]] = []

    static let memoryLimit = 64

    static func random(using rng: inout SeededGenerator, replicaCount: Int, me: Int) -> ByzantineBehaviour {
        var behaviour = ByzantineBehaviour()
        repeat {
            behaviour.equivocate = Bool.random(using: &rng)
            behaviour.doubleVote = Bool.random(using: &rng)
            behaviour.withhold = Bool.random(using: &rng)
            behaviour.replay = Bool.random(using: &rng)
            behaviour.garbage = Bool.random(using: &rng)
        } while !(behaviour.equivocate || behaviour.doubleVote || behaviour.withhold || behaviour.replay || behaviour.garbage)
        for peer in 0..<replicaCount where peer != me && Int.random(in: 0..<3, using: &rng) == 0 {
            behaviour.victims.insert(peer)
        }
        return behaviour
    }

    mutating func remember(_ bytes: [UInt8], using rng: inout SeededGenerator) {
        guard replay || garbage else { return }
        if memory.count < Self.memoryLimit {
            memory.append(bytes)
        } else {
            memory[Int.random(in: 0..<Self.memoryLimit, using: &rng)] = bytes
        }
    }
}
