import Consensus
import LedgerCore

/// Collects the validators' attestations of executed blocks until 2f+1 match
/// this node's own, and then yields the block's `StateCertificate`.
///
/// Bounded: it keeps only heights above the last certified one and at most
/// `window` past this node's applied height, one attestation per signer each;
/// older heights are dropped once a later one is certified (a client wants
/// the newest certified state, not every one).
struct AttestationPool {
    static let window: UInt64 = 64

    let validators: ValidatorSet
    private(set) var certifiedHeight: UInt64 = 0
    private var own: [UInt64: SignedAttestation] = [:]
    private var received: [UInt64: [Int: SignedAttestation]] = [:]

    init(validators: ValidatorSet) {
        self.validators = validators
    }

    enum Outcome: Equatable {
        case none
        case certified(StateCertificate)
        /// A validator attests another block hash or state root than this node
        /// reached at that height: one of the two executed differently.
        case conflict(signer: Int, theirs: BlockAttestation, ours: BlockAttestation)
    }

    /// This node's attestation of a block it just applied.
    mutating func addOwn(_ attestation: SignedAttestation) -> Outcome {
        let height = attestation.content.height
        guard height > certifiedHeight else { return .none }
        own[height] = attestation
        // Own attestations of heights that never certified would otherwise pile up.
        for stale in own.keys where stale + Self.window < height { own[stale] = nil }
        return attempt(height)
    }

    /// A peer's attestation; `peer` is who the transport says sent it.
    mutating func addPeer(_ attestation: SignedAttestation, from peer: Int, appliedHeight: UInt64) -> Outcome {
        let height = attestation.content.height
        guard attestation.signer.index == peer, height > certifiedHeight, height <= appliedHeight + Self.window,
              received[height]?[peer] == nil, validators.isValid(attestation)
        else { return .none }
        received[height, default: [:]][peer] = attestation
        if let mine = own[height], !mine.content.matches(attestation.content) {
            return .conflict(signer: peer, theirs: attestation.content, ours: mine.content)
        }
        return attempt(height)
    }

    private mutating func attempt(_ height: UInt64) -> Outcome {
        guard let mine = own[height] else { return .none }
        let matching = (received[height] ?? [:]).values.filter { $0.content.matches(mine.content) }
        guard matching.count + 1 >= validators.quorum else { return .none }
        certifiedHeight = height
        own = own.filter { $0.key > height }
        received = received.filter { $0.key > height }
        return .certified(StateCertificate(sorting: [mine] + matching.prefix(validators.quorum - 1)))
    }

    var pendingHeights: Int { Set(own.keys).union(received.keys).count }
}
