import Consensus

public struct Violation: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Two correct replicas committed (or reached) different things at one sequence.
        case agreement
        /// A request nobody submitted was applied, or a commit certificate is not 2f+1 valid COMMITs.
        case validity
        /// After the faults healed, a request did not reach every correct replica within the bound.
        case liveness
    }

    public let kind: Kind
    public let time: Millis
    public let message: String

    public var description: String { "\(kind) at t=\(time)ms: \(message)" }
}

public struct SimulationResult: Sendable {
    public let seed: UInt64
    public let profile: FaultProfile
    public let replicaCount: Int
    public internal(set) var violations: [Violation] = []
    /// Highest sequence committed by a correct replica (null batches included).
    public internal(set) var committedBlocks: UInt64 = 0
    public internal(set) var nullBlocks = 0
    public internal(set) var virtualTime: Millis = 0
    public internal(set) var steps = 0
    public internal(set) var messagesSent = 0
    public internal(set) var messagesDropped = 0
    public internal(set) var viewChanges = 0
    public internal(set) var stateTransfers = 0
    public internal(set) var crashes = 0
    /// The replicas whose data folder was wiped, in order (the `wipe` profile).
    public internal(set) var wiped: [Int] = []
    public internal(set) var equivocationsSeen = 0
    /// A request ordered twice (e.g. resubmitted to a restarted primary); the
    /// application applied it once. Counted, not a violation.
    public internal(set) var duplicateOrderings = 0
    public internal(set) var trace: [String] = []

    public var passed: Bool { violations.isEmpty }
}
