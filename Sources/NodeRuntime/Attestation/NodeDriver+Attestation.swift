import Consensus
import LedgerCore
import LedgerState

/// After each block: keep a snapshot of the state it produced, sign what this
/// node reached, tell every peer, and certify once 2f+1 agree.
extension NodeDriver {
    func attest(_ execution: BlockExecution, header: BlockHeader) {
        attest(header: header, blockHash: execution.head.blockHash, stateRoot: execution.stateRoot)
    }

    /// At start: attests the head this node already holds. Attestations live
    /// only in memory, so without this a chain that is idle after a restart,
    /// or has no block past genesis yet, would answer no proof until the next
    /// block. Peers that still hold the same statement ignore the repeat.
    func attestHead() {
        do {
            let head = try applier.ledger.head()
            guard latestAttestation?.content.height != head.height.value else { return }
            let header: BlockHeader
            if head.height.value == 0 {
                header = try GenesisState.block(for: applier.ledger.genesis).block.header
            } else {
                guard let archived = try archive.block(at: head.height.value) else {
                    logger.error("the head block is not in the archive; no attestation until the next block", metadata: ["height": "\(head.height)"])
                    return
                }
                header = archived.header
            }
            // The archive and the state are written in one batch, so they agree;
            // if they ever did not, attesting would certify a header for the wrong state.
            guard header.hash(using: applier.ledger.executor.chain.suite) == head.blockHash else {
                logger.error("the stored header does not hash to the head; no attestation until the next block", metadata: ["height": "\(head.height)"])
                return
            }
            attest(header: header, blockHash: head.blockHash, stateRoot: head.stateRoot)
        } catch {
            logger.error("cannot attest the head at start", metadata: ["error": "\(error)"])
        }
    }

    private func attest(header: BlockHeader, blockHash: Digest, stateRoot: Digest) {
        // Taken before anything else can write: the driver applies blocks one at a time.
        do {
            certified.executed(header, queries: try applier.ledger.queries())
        } catch {
            // Only proofs suffer: the block is applied and durable.
            logger.error("cannot keep a snapshot for proofs", metadata: ["height": "\(header.height)", "error": "\(error)"])
        }
        let statement = BlockAttestation(
            height: header.height.value, blockHash: blockHash, stateRoot: stateRoot,
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
