import LedgerCore

/// Leaving a view: VIEW-CHANGE with prepared certificates, the f+1 join rule,
/// and the timer with exponential backoff that bounds each attempt.
extension Replica {
    mutating func startViewChange(to newView: ViewNumber) {
        precondition(newView > view || (newView == view && !isChangingView), "view change must move forward")
        view = newView
        isChangingView = true
        viewChangeAttempts += 1
        stats.viewChangesStarted += 1
        batchDue = false
        cancelTimer(.batch)
        cancelTimer(.progress)
        pending.clearProposed()
        for key in Array(log.keys) {
            log[key]!.moveTo(view: newView)
            if log[key]!.isDisposable { log[key] = nil }
        }
        var prepared: [PreparedCertificate] = []
        var batches: [Batch] = []
        var attached: [Digest: Batch] = [:]
        if config.flaw != .skipPreparedCertificates {
            for key in log.keys.sorted() {
                guard let certificate = log[key]!.prepared, let batch = log[key]!.preparedBatch else { continue }
                prepared.append(certificate)
                batches.append(batch)
                attached[certificate.digest] = batch
            }
        }
        let change = sign(ViewChange(newView: newView, replica: id, checkpoint: stable, prepared: prepared))
        viewChanges[id] = ReceivedViewChange(signed: change, batches: attached)
        output.append(.persist(.viewChange(change, batches: batches)))
        output.append(.broadcast(.viewChange(change, batches: batches)))
        checkViewChangeQuorum()
    }

    mutating func onViewChange(_ change: Signed<ViewChange>, batches: [Batch]) {
        let content = change.content
        guard content.replica != id else { return dropOwn(change, relayed: false) }
        guard isFromSigner(content.replica) else { return drop(.notFromSigner) }
        guard content.replica.index < config.replicaCount else { return drop(.badSignature) }
        if content.newView < view || (content.newView == view && !isChangingView) {
            // The sender is still trying to reach a view this replica is past:
            // hand it the NEW-VIEW that proves the move.
            if !isChangingView, content.newView == view, currentNewView != nil {
                sendNewView(to: content.replica)
            }
            return drop(.staleView)
        }
        if let known = viewChanges[content.replica], known.newView >= content.newView { return drop(.duplicate) }
        guard batches.count == content.prepared.count,
              zip(content.prepared, batches).allSatisfy({ $0.digest == $1.digest(using: hash) })
        else { return drop(.badBatch) }
        guard isValid(change) else { return drop(.badCertificate) }
        var attached: [Digest: Batch] = [:]
        for (certificate, batch) in zip(content.prepared, batches) { attached[certificate.digest] = batch }
        viewChanges[content.replica] = ReceivedViewChange(signed: change, batches: attached)

        // f+1 replicas want a later view: at least one is correct, so follow to
        // the smallest view that f+1 of them reach.
        let ahead = viewChanges.values.filter { $0.signed.signer != id && $0.newView > view }.map(\.newView).sorted(by: >)
        if ahead.count >= config.joinQuorum {
            return startViewChange(to: ahead[config.joinQuorum - 1])
        }
        checkViewChangeQuorum()
    }

    /// With 2f+1 VIEW-CHANGEs for the target view: start the NEW-VIEW timer
    /// (not before, or a lone replica would race through views), and the new
    /// primary sends NEW-VIEW.
    ///
    /// A VIEW-CHANGE for a later view counts towards the timer: its sender has
    /// left this view too. Counting only exact matches (and keeping one
    /// VIEW-CHANGE per sender) can leave correct replicas waiting forever when a
    /// byzantine replica shows its VIEW-CHANGE to some of them only.
    mutating func checkViewChangeQuorum() {
        guard isChangingView else { return }
        let moving = viewChanges.values.filter { $0.newView >= view }.count
        if moving >= config.viewChangeQuorum && !runningTimers.contains(.progress) {
            let exponent = min(max(viewChangeAttempts - 1, 0), config.maxBackoffExponent)
            setTimer(.progress, after: config.viewChangeTimeout << UInt64(exponent))
        }
        let quorum = viewChanges.values.filter { $0.newView == view }
        if quorum.count >= config.viewChangeQuorum, config.primary(of: view) == id, viewChanges[id]?.newView == view {
            sendNewViewAsPrimary(quorum)
        }
    }

    /// The new primary's NEW-VIEW: its own VIEW-CHANGE plus the lowest-numbered
    /// others up to 2f+1, the recomputable pre-prepares, and their batches.
    mutating func sendNewViewAsPrimary(_ quorum: [ReceivedViewChange]) {
        let others = quorum.filter { $0.signed.signer != id }.sorted { $0.signed.signer < $1.signed.signer }
        let chosen = [viewChanges[id]!] + others.prefix(config.viewChangeQuorum - 1)
        let plan = NewViewPlan(viewChanges: chosen.map(\.signed), nullDigest: nullDigest, window: config.window)
        var available: [Digest: Batch] = [:]
        for change in chosen { available.merge(change.batches) { first, _ in first } }
        var prePrepares: [SignedVote] = []
        var batches: [Batch] = []
        for entry in plan.entries {
            if !entry.isNull {
                guard let batch = available[entry.digest] else {
                    preconditionFailure("a validated VIEW-CHANGE carries the batch of each prepared certificate")
                }
                batches.append(batch)
            }
            prePrepares.append(sign(Vote(kind: .prePrepare, view: view, sequence: entry.sequence, digest: entry.digest, replica: id)))
        }
        let newView = sign(NewView(view: view, replica: id, viewChanges: chosen.map(\.signed), prePrepares: prePrepares))
        // Persisted before it leaves: after a restart this primary must resend
        // this NEW-VIEW, never compose a different one for the same view.
        output.append(.persist(.newView(newView)))
        output.append(.broadcast(.newView(newView, batches: batches)))
        enterNewView(newView, plan: plan, batches: batches)
    }

    mutating func sendNewView(to replica: ReplicaID) {
        guard let newView = currentNewView else { return }
        var batches: [Batch] = []
        for vote in newView.content.prePrepares {
            let sequence = vote.content.sequence
            guard let slot = log[sequence], slot.view == view, let batch = slot.batch else {
                // Below the stable checkpoint the batch is gone; a placeholder keeps
                // positions aligned, and a receiver that still needs it takes a checkpoint instead.
                if vote.content.digest != nullDigest { batches.append(.null) }
                continue
            }
            if !batch.isNull { batches.append(batch) }
        }
        output.append(.send(.newView(newView, batches: batches), to: replica))
    }
}
