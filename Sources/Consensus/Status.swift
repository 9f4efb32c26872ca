import LedgerCore

/// Retransmission. Every replica broadcasts STATUS on a timer; a peer that sees
/// it is ahead answers with exactly what the sender lacks. Lost, reordered or
/// withheld messages are thus recovered without per-message acknowledgements,
/// and each answer is bounded.
extension Replica {
    mutating func broadcastStatus() {
        let status = sign(Status(
            view: view, changing: isChangingView, committedThrough: committedThrough,
            stableSequence: stable.sequence, replica: id))
        output.append(.broadcast(.status(status)))
    }

    mutating func onStatus(_ signed: Signed<Status>) {
        let status = signed.content
        guard status.replica != id else { return dropOwn(signed, relayed: false) }
        guard isFromSigner(status.replica) else { return drop(.notFromSigner) }
        guard verify(signed) else { return drop(.badSignature) }
        let peer = status.replica
        highestSeen = max(highestSeen, status.committedThrough)

        // VIEW-CHANGE and NEW-VIEW carry whole batches (up to a window of
        // them): resent to a peer that still lacks them at most once per
        // `bulkResendInterval`, not on every STATUS. Resending on every STATUS
        // kept replicas so busy decoding each other's view changes under load
        // that the view change itself timed out, again and again.
        let lacksOurs = status.view < view || (status.view == view && status.changing)
        if lacksOurs, now >= (bulkResent[peer] ?? 0) + bulkResendInterval {
            if isChangingView, let own = viewChanges[id] {
                bulkResent[peer] = now
                let batches = own.signed.content.prepared.map { own.batches[$0.digest]! }
                output.append(.send(.viewChange(own.signed, batches: batches), to: peer))
            } else if !isChangingView {
                bulkResent[peer] = now
                sendNewView(to: peer)
            }
        }

        if status.stableSequence < stable.sequence && stable.sequence > 0 {
            output.append(.send(.stableCheckpoint(stable), to: peer))
        }
        // Our checkpoint votes above its stable checkpoint help it reach 2f+1.
        for sequence in checkpointVotes.keys.sorted() where sequence > status.stableSequence {
            if let mine = checkpointVotes[sequence]?[id] { output.append(.send(.checkpoint(mine), to: peer)) }
        }

        let sameView = !isChangingView && !status.changing && status.view == view
        var budget = ConsensusLimits.maxCatchUpSlots
        var sequence = max(status.committedThrough, stable.sequence) + 1
        while budget > 0 && sequence <= highWatermark {
            defer { sequence += 1 }
            guard let slot = log[sequence] else { continue }
            if let certificate = slot.committed, let batch = slot.committedBatch {
                output.append(.send(.committed(certificate, batch), to: peer))
                budget -= 1
            } else if sameView && slot.view == view {
                if let prePrepare = slot.prePrepare, let batch = slot.batch {
                    output.append(.send(.prePrepare(prePrepare, batch), to: peer))
                }
                if let prepare = slot.prepares[id] { output.append(.send(.prepare(prepare), to: peer)) }
                if let commit = slot.commits[id] { output.append(.send(.commit(commit), to: peer)) }
                budget -= 1
            }
        }
    }

    /// A commit certificate is proof whatever view the reader is in, so a
    /// replica that missed the votes commits from it directly.
    mutating func onCommitCertificate(_ certificate: CommitCertificate, _ batch: Batch) {
        let sequence = certificate.sequence
        guard inWindow(sequence) else { return drop(.outOfWindow) }
        guard log[sequence]?.committed == nil else { return drop(.duplicate) }
        guard batch.digest(using: hash) == certificate.digest else { return drop(.badBatch) }
        guard isValid(certificate) else { return drop(.badCertificate) }
        commit(sequence, certificate, batch)
    }
}
