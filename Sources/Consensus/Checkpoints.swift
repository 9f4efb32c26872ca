import LedgerCore

/// Checkpoints every K sequence numbers, stable at 2f+1 matching state roots;
/// the log is truncated behind a stable checkpoint, and a replica that finds
/// itself behind one fetches the state instead of the lost slots.
extension Replica {
    mutating func voteCheckpoint(_ sequence: SequenceNumber, root: Digest) {
        guard sequence > stable.sequence, sequence <= highWatermark else { return }
        let vote = sign(Vote(kind: .checkpoint, view: 0, sequence: sequence, digest: root, replica: id))
        checkpointVotes[sequence, default: [:]][id] = vote
        // Persisted so a restarted replica can still supply its vote: with f
        // replicas silent, the checkpoint may need exactly this one.
        output.append(.persist(.checkpointVote(vote)))
        output.append(.broadcast(.checkpoint(vote)))
        checkStable(sequence)
    }

    mutating func onCheckpoint(_ vote: SignedVote) {
        let content = vote.content
        guard content.kind == .checkpoint, content.view == 0, content.sequence % config.checkpointInterval == 0 else {
            return drop(.malformed)
        }
        guard content.replica != id else { return dropOwn(vote, relayed: false) }
        guard isFromSigner(content.replica) else { return drop(.notFromSigner) }
        // Beyond the window the replica is behind; STATUS brings it a stable
        // certificate instead, so far-future votes need no memory here.
        guard inWindow(content.sequence) else { return drop(.outOfWindow) }
        guard checkpointVotes[content.sequence]?[content.replica] == nil else { return drop(.duplicate) }
        guard verify(vote) else { return drop(.badSignature) }
        checkpointVotes[content.sequence, default: [:]][content.replica] = vote
        checkStable(content.sequence)
    }

    mutating func checkStable(_ sequence: SequenceNumber) {
        guard let votes = checkpointVotes[sequence] else { return }
        let byRoot = Dictionary(grouping: votes.values, by: { $0.content.digest })
        for root in byRoot.keys.sorted() where byRoot[root]!.count >= config.checkpointQuorum {
            let matching = byRoot[root]!
            let certificate = CheckpointCertificate(
                sequence: sequence, stateRoot: root, votes: VoteList.sorted(matching).prefix(config.checkpointQuorum))
            return adoptStable(certificate)
        }
    }

    mutating func onStableCheckpoint(_ certificate: CheckpointCertificate) {
        guard certificate.sequence > stable.sequence else { return drop(.duplicate) }
        guard isValid(certificate) else { return drop(.badCertificate) }
        adoptStable(certificate)
    }

    /// Moves the low watermark; `certificate` is already checked.
    mutating func adoptStable(_ certificate: CheckpointCertificate, propose: Bool = true) {
        guard certificate.sequence > stable.sequence else { return }
        stable = certificate
        highestSeen = max(highestSeen, certificate.sequence)
        output.append(.persist(.stableCheckpoint(certificate)))
        log = log.filter { $0.key > certificate.sequence }
        checkpointVotes = checkpointVotes.filter { $0.key > certificate.sequence }
        if nextSequence <= certificate.sequence { nextSequence = certificate.sequence + 1 }
        if executeIssued < certificate.sequence {
            // The slots up to the checkpoint are gone from every correct log;
            // the state itself must come from a peer.
            requestStateTransfer()
        }
        if propose { maybePropose() }
    }

    mutating func requestStateTransfer() {
        guard stable.sequence > executeIssued, fetching?.sequence != stable.sequence else { return }
        fetching = stable
        stats.stateTransfers += 1
        // The request timer waits for executions this replica cannot make
        // until the transfer ends; the NEW-VIEW timer of a view change runs on.
        if !isChangingView { cancelTimer(.progress) }
        output.append(.fetchState(stable))
    }

    mutating func onStateTransferred(_ sequence: SequenceNumber, root: Digest) {
        guard let target = fetching, target.sequence == sequence, target.stateRoot == root else { return }
        fetching = nil
        if sequence > lastExecuted {
            lastExecuted = sequence
            executeIssued = max(executeIssued, sequence)
            lastExecutedTimestamp = 0
            // Which queued requests the transferred state already holds is
            // unknowable here; clients (the mempool) resubmit what they still miss.
            pending.removeAll()
            if !isChangingView { cancelTimer(.progress) }
        }
        if stable.sequence > executeIssued {
            requestStateTransfer()
        } else {
            executeReady()
            armProgressTimer()
        }
    }

    mutating func onStateTransferFailed(_ sequence: SequenceNumber) {
        // Retried on the next status tick, perhaps for a newer checkpoint.
        guard fetching?.sequence == sequence else { return }
        fetching = nil
        armProgressTimer()
    }
}
