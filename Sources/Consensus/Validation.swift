import LedgerCore

/// Certificate checks. Each checks shape first and signatures last, so that
/// garbage costs no signature verification.
extension Replica {
    func isValid(_ certificate: PreparedCertificate) -> Bool {
        let pp = certificate.prePrepare.content
        let primary = config.primary(of: pp.view)
        guard pp.kind == .prePrepare, pp.replica == primary,
              certificate.prepares.count >= config.prepareQuorum,
              VoteList.isStrictlySorted(certificate.prepares),
              certificate.prepares.allSatisfy({
                  $0.content.kind == .prepare && $0.content.view == pp.view && $0.content.sequence == pp.sequence
                      && $0.content.digest == pp.digest && $0.signer != primary
              })
        else { return false }
        return verify(certificate.prePrepare) && certificate.prepares.allSatisfy { verify($0) }
    }

    func isValid(_ certificate: CommitCertificate) -> Bool {
        guard let first = certificate.commits.first?.content,
              certificate.commits.count >= config.commitQuorum,
              VoteList.isStrictlySorted(certificate.commits),
              certificate.commits.allSatisfy({ $0.content.kind == .commit && $0.content.matches(first) })
        else { return false }
        return certificate.commits.allSatisfy { verify($0) }
    }

    func isValid(_ certificate: CheckpointCertificate) -> Bool {
        if certificate.sequence == 0 {
            return certificate.votes.isEmpty && certificate.stateRoot == config.genesisRoot
        }
        guard certificate.sequence % config.checkpointInterval == 0,
              certificate.votes.count >= config.checkpointQuorum,
              VoteList.isStrictlySorted(certificate.votes),
              certificate.votes.allSatisfy({
                  $0.content.kind == .checkpoint && $0.content.view == 0
                      && $0.content.sequence == certificate.sequence && $0.content.digest == certificate.stateRoot
              })
        else { return false }
        return certificate.votes.allSatisfy { verify($0) }
    }

    /// A VIEW-CHANGE statement: signature, checkpoint proof, and prepared
    /// certificates from earlier views inside the sender's window.
    func isValid(_ change: Signed<ViewChange>) -> Bool {
        let content = change.content
        let low = content.checkpoint.sequence
        guard content.prepared.allSatisfy({
            // `sequence - low`, not `low + window`: `low` comes off the wire
            // unchecked here and may sit near 2^64.
            $0.view < content.newView && $0.sequence > low && $0.sequence - low <= config.window
        }) else { return false }
        return verify(change) && isValid(content.checkpoint) && content.prepared.allSatisfy { isValid($0) }
    }
}

/// For a driver that receives committed batches outside the protocol (block
/// sync, state transfer): the same checks the replica makes itself.
extension Replica {
    /// True when `certificate` holds 2f+1 valid COMMITs of one view for `batch`
    /// at `sequence`.
    public func isValidCommit(_ certificate: CommitCertificate, for batch: Batch, at sequence: SequenceNumber) -> Bool {
        certificate.sequence == sequence && certificate.digest == batch.digest(using: hash) && isValid(certificate)
    }
}
