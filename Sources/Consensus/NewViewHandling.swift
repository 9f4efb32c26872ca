import LedgerCore

/// Accepting NEW-VIEW: check the proof, recompute the pre-prepares, and resume
/// normal operation in the new view with the carried-over batches re-proposed.
extension Replica {
    mutating func onNewView(_ signed: Signed<NewView>, batches: [Batch]) {
        let content = signed.content
        guard content.replica != id else { return dropOwn(signed, relayed: true) }
        guard content.replica == config.primary(of: content.view) else { return drop(.wrongSender) }
        guard content.view > view || (content.view == view && isChangingView) else { return drop(.staleView) }
        let changes = content.viewChanges
        guard changes.count >= config.viewChangeQuorum, changes.count <= config.replicaCount,
              zip(changes, changes.dropFirst()).allSatisfy({ $0.signer < $1.signer }),
              changes.allSatisfy({ $0.content.newView == content.view })
        else { return drop(.badCertificate) }
        let plan = NewViewPlan(viewChanges: changes, nullDigest: nullDigest, window: config.window)
        guard plan.entries.count == content.prePrepares.count,
              zip(plan.entries, content.prePrepares).allSatisfy({ entry, vote in
                  vote.content.kind == .prePrepare && vote.content.view == content.view && vote.content.replica == content.replica
                      && vote.content.sequence == entry.sequence && vote.content.digest == entry.digest
              })
        else { return drop(.badCertificate) }
        let nonNull = plan.entries.filter { !$0.isNull }
        guard batches.count == nonNull.count else { return drop(.badBatch) }
        let floor = max(plan.checkpoint.sequence, stable.sequence)
        var chosen: [SequenceNumber: Batch] = [:]
        for (entry, batch) in zip(nonNull, batches) where entry.sequence > floor {
            if batch.digest(using: hash) == entry.digest {
                chosen[entry.sequence] = batch
            } else if let own = ownCopy(of: entry.digest, at: entry.sequence) {
                chosen[entry.sequence] = own
            } else {
                // A relaying replica sends a placeholder for a batch it truncated.
                return drop(.missingBatch)
            }
        }
        // Signatures last, and a VIEW-CHANGE already verified on arrival is not verified again.
        guard verify(signed) else { return drop(.badSignature) }
        for change in changes where viewChanges[change.signer]?.signed != change {
            guard isValid(change) else { return drop(.badCertificate) }
        }
        guard content.prePrepares.allSatisfy({ verify($0) }) else { return drop(.badSignature) }
        enterNewView(signed, plan: plan, chosenBatches: chosen, persist: true)
    }

    func ownCopy(of digest: Digest, at sequence: SequenceNumber) -> Batch? {
        guard let slot = log[sequence] else { return nil }
        for batch in [slot.committedBatch, slot.preparedBatch, slot.batch] {
            if let batch, batch.digest(using: hash) == digest { return batch }
        }
        return nil
    }

    mutating func enterNewView(_ signed: Signed<NewView>, plan: NewViewPlan, batches: [Batch]) {
        var chosen: [SequenceNumber: Batch] = [:]
        for (entry, batch) in zip(plan.entries.filter { !$0.isNull }, batches) { chosen[entry.sequence] = batch }
        enterNewView(signed, plan: plan, chosenBatches: chosen, persist: false)
    }

    mutating func enterNewView(
        _ signed: Signed<NewView>, plan: NewViewPlan, chosenBatches: [SequenceNumber: Batch], persist: Bool
    ) {
        let content = signed.content
        view = content.view
        isChangingView = false
        currentNewView = signed
        batchDue = false
        if persist { output.append(.persist(.newView(signed))) }
        cancelTimer(.progress)
        cancelTimer(.batch)
        viewChanges = viewChanges.filter { $0.value.newView > view }
        if plan.checkpoint.sequence > stable.sequence {
            adoptStable(plan.checkpoint, propose: false)
        }
        for key in Array(log.keys) {
            log[key]!.moveTo(view: view)
            if log[key]!.isDisposable { log[key] = nil }
        }
        pending.clearProposed()
        for (entry, vote) in zip(plan.entries, content.prePrepares) where entry.sequence > stable.sequence {
            let batch = entry.isNull ? Batch.null : chosenBatches[entry.sequence]!
            accept(vote, batch, into: log[entry.sequence] ?? Slot(sequence: entry.sequence, view: view))
            for request in log[entry.sequence]?.requestDigests ?? [] { pending.setProposed(request, true) }
        }
        nextSequence = max(plan.maxSequence, stable.sequence) + 1
        armProgressTimer()
        maybePropose()
    }
}
