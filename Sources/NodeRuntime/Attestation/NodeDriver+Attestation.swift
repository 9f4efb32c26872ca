import Consensus
import LedgerCore
import LedgerState

/// After each block: keep a snapshot of the state it produced, sign what this
/// node reached, tell every peer, and certify once 2f+1 agree.
extension NodeDriver {
    func attest(_ execution: BlockExecution, header: BlockHeader) {
        // Taken before anything else can write: the driver applies blocks one at a time.
        do {
            certified.executed(header, queries: try applier.ledger.queries())
        } catch {
            // Only proofs suffer: the block is applied and durable.
            logger.error("cannot keep a snapshot for proofs", metadata: ["height": "\(header.height)", "error": "\(error)"])
        }
        let statement = BlockAttestation(
            height: header.height.value, blockHash: execution.head.blockHash, stateRoot: execution.stateRoot,
            replica: signer.replica)
        let signed = SignedAttestation.signing(statement, with: signer, cluster: attestations.validators.cluster)
        network.broadcast(Canonical.encode(PeerFrame.attestation(signed)))
        latestAttestation = signed
        lastAttestationSentMillis = Self.nowMillis()
        for outcome in attestations.addOwn(signed) { settle(outcome) }
    }

    /// Sends this node's newest attestation again now and then (from `tick`):
    /// a frame lost to a full queue or a link that was down would otherwise
    /// leave that block uncertified at a peer, and on an idle chain no later
    /// block would replace it. Peers ignore one they already have.
    func repeatAttestation(now: UInt64) {
        guard let latest = latestAttestation, now >= lastAttestationSentMillis + Self.attestationRepeatMillis else { return }
        lastAttestationSentMillis = now
        network.broadcast(Canonical.encode(PeerFrame.attestation(latest)))
    }

    func settle(_ outcome: AttestationPool.Outcome) {
        switch outcome {
        case .none:
            break
        case let .certified(certificate):
            certified.certify(certificate)
        case let .conflict(signer, theirs, ours):
            // Never expected: every correct replica executes the same blocks the
            // same way. Loud, because it means a replica's state diverged.
            logger.critical("a validator attests a different state at this height", metadata: [
                "height": "\(ours.height)", "validator": "\(signer)",
                "theirBlock": "\(theirs.blockHash.hex)", "theirRoot": "\(theirs.stateRoot.hex)",
                "ourBlock": "\(ours.blockHash.hex)", "ourRoot": "\(ours.stateRoot.hex)",
            ])
        }
    }
}
