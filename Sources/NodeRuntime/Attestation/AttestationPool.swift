import Consensus
import LedgerCore

/// Collects the validators' attestations of executed blocks until 2f+1 match
/// this node's own, and then yields the block's `StateCertificate`.
///
/// Bounded: it keeps only heights above the last certified one, within
/// `window` of this node's applied height either way, one attestation per
/// signer each; older heights are dropped once a later one is certified (a
/// client wants the newest certified state, not every one).
struct AttestationPool {
    static let window: UInt64 = 64

    let validators: ValidatorSet
    /// None until something certifies: genesis (height 0) can be certified too,
    /// so a new chain has proofs before its first block.
    private(set) var certifiedHeight: UInt64?
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

    /// This node's attestation of a block it just applied: a conflict for
    /// each peer that attested another state first, then the certificate if
    /// the peers that agree already make a quorum.
    mutating func addOwn(_ attestation: SignedAttestation) -> [Outcome] {
        let height = attestation.content.height
        guard isAboveCertified(height) else { return [] }
        own[height] = attestation
        // Heights that never certify (a lost frame, a diverged node) would otherwise pile up.
        prune(below: height)
        let conflicts: [Outcome] = (received[height] ?? [:]).sorted { $0.key < $1.key }
            .filter { !$0.value.content.matches(attestation.content) }
            .map { .conflict(signer: $0.key, theirs: $0.value.content, ours: attestation.content) }
        let outcome = attempt(height)
        return conflicts + (outcome == .none ? [] : [outcome])
    }

    private mutating func prune(below height: UInt64) {
        guard height > Self.window else { return }
        let floor = height - Self.window
        own = own.filter { $0.key >= floor }
        received = received.filter { $0.key >= floor }
    }

    /// A peer's attestation; `peer` is who the transport says sent it.
    mutating func addPeer(_ attestation: SignedAttestation, from peer: Int, appliedHeight: UInt64) -> Outcome {
        let height = attestation.content.height
        guard attestation.signer.index == peer, isAboveCertified(height), height <= appliedHeight + Self.window,
              height + Self.window >= appliedHeight, received[height]?[peer] == nil, validators.isValid(attestation)
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

    private func isAboveCertified(_ height: UInt64) -> Bool {
        certifiedHeight.map { height > $0 } ?? true
    }

    var pendingHeights: Int { Set(own.keys).union(received.keys).count }
}
