import LedgerCore

/// Rebuilding a replica after a crash from its durable records alone.
extension Replica {
    /// `executedThrough` is the last sequence the application durably applied
    /// (the ledger commits each block atomically). Everything else in memory
    /// before the crash is gone: pending requests, votes from others, timers.
    ///
    /// Votes this replica signed before are re-derived from the records
    /// (identical content), and every slot it voted in keeps the batch it voted
    /// for, so it can never sign a conflicting PREPARE, COMMIT, pre-prepare,
    /// VIEW-CHANGE or NEW-VIEW.
    ///
    /// `executedRoot` is the application's state root at `executedThrough`. A
    /// crash can fall between the application's durable write of a checkpoint
    /// block and the persisting of this replica's checkpoint vote for it; given
    /// the root, the restored replica casts that vote on `.start`, or the
    /// checkpoint could lack the one vote it needs with f replicas silent.
    public init(
        config: Configuration, signer: any MessageSigner, verifier: any SignatureVerifier, hash: any DigestFunction,
        restoring state: PersistentState, executedThrough: SequenceNumber, executedRoot: Digest? = nil
    ) {
        self.init(config: config, signer: signer, verifier: verifier, hash: hash)
        view = state.view
        isChangingView = state.changing
        if let recovered = state.stable { stable = recovered }
        lastExecuted = executedThrough
        executeIssued = executedThrough
        let normal = !isChangingView

        for (sequence, accepted) in state.accepted where inWindow(sequence) && normal && accepted.vote.content.view == view {
            var slot = Slot(sequence: sequence, view: view)
            let content = accepted.vote.content
            slot.prePrepare = accepted.vote
            slot.batch = accepted.batch
            slot.requestDigests = accepted.batch.requests.map { hash.digest($0) }
            if content.replica != id {
                slot.prepares[id] = sign(Vote(kind: .prepare, view: view, sequence: sequence, digest: content.digest, replica: id))
            }
            log[sequence] = slot
        }
        for (sequence, entry) in state.prepared where inWindow(sequence) {
            var slot = log[sequence] ?? Slot(sequence: sequence, view: view)
            slot.prepared = entry.certificate
            slot.preparedBatch = entry.batch
            if normal, entry.certificate.view == view, slot.prePrepare?.content.digest == entry.certificate.digest {
                slot.sentCommit = true
                slot.commits[id] = sign(Vote(kind: .commit, view: view, sequence: sequence, digest: entry.certificate.digest, replica: id))
            }
            log[sequence] = slot
        }
        for (sequence, committed) in state.committed where inWindow(sequence) {
            var slot = log[sequence] ?? Slot(sequence: sequence, view: view)
            slot.committed = committed.certificate
            slot.committedBatch = committed.batch
            log[sequence] = slot
        }
        for (sequence, vote) in state.checkpointVotes where inWindow(sequence) {
            checkpointVotes[sequence, default: [:]][id] = vote
        }
        if isChangingView, let change = state.viewChange, change.content.newView == view {
            var attached: [Digest: Batch] = [:]
            for (certificate, batch) in zip(change.content.prepared, state.viewChangeBatches) { attached[certificate.digest] = batch }
            viewChanges[id] = ReceivedViewChange(signed: change, batches: attached)
        }
        var newViewTop: SequenceNumber = 0
        if normal, let newView = state.newView, newView.content.view == view {
            currentNewView = newView
            newViewTop = newView.content.prePrepares.map(\.content.sequence).max() ?? 0
        }
        // A restarted primary continues after everything it proposed in this
        // view, its NEW-VIEW's pre-prepares included: a crash can fall between
        // persisting the NEW-VIEW and the accepted records that follow it, and
        // proposing at one of those sequences again would sign a conflict.
        let proposed = log.values.filter { $0.prePrepare?.content.view == view }.map(\.sequence).max() ?? 0
        nextSequence = max(stable.sequence, proposed, newViewTop) + 1
        if let executedRoot, executedThrough > stable.sequence, executedThrough % config.checkpointInterval == 0,
           checkpointVotes[executedThrough]?[id] == nil
        {
            missedCheckpointVote = (executedThrough, executedRoot)
        }
    }
}
