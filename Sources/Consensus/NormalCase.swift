import LedgerCore

/// Requests, PRE-PREPARE, PREPARE, COMMIT and in-order execution.
extension Replica {
    mutating func admit(_ request: [UInt8]) {
        guard (1...config.maxRequestBytes).contains(request.count), config.isValidRequest(request) else {
            return drop(.badRequest)
        }
        let digest = hash.digest(request)
        guard !recentlyExecuted.contains(digest), !pending.contains(digest) else { return drop(.duplicate) }
        guard pending.append(digest, request, maxCount: config.maxPendingRequests, maxBytes: config.maxPendingRequests * config.maxRequestBytes) else {
            return drop(.queueFull)
        }
        // Every backup that queues a request (and so arms its request timer)
        // makes sure the primary has it: otherwise a peer that hands a request
        // to the backups alone forces a view change. Backups forward only to
        // the primary, which never forwards, so nothing echoes; a copy the
        // primary already holds is dropped there as a duplicate.
        if !isPrimary && !isChangingView {
            output.append(.send(.request(request), to: config.primary(of: view)))
        }
        armProgressTimer()
        maybePropose()
    }

    mutating func onPrePrepare(_ vote: SignedVote, _ batch: Batch) {
        let content = vote.content
        guard content.kind == .prePrepare else { return drop(.malformed) }
        guard content.replica != id else { return dropOwn(vote, relayed: true) }
        guard content.replica == config.primary(of: content.view) else { return drop(.wrongSender) }
        guard content.view == view, !isChangingView else { return drop(content.view < view ? .staleView : .futureView) }
        guard inWindow(content.sequence) else { return drop(.outOfWindow) }
        var slot = log[content.sequence] ?? Slot(sequence: content.sequence, view: view)
        slot.moveTo(view: view)
        if let existing = slot.prePrepare {
            guard existing.content.digest != content.digest else { return drop(.duplicate) }
            // Two signed pre-prepares for one (view, sequence): the primary
            // equivocated, and the signatures prove it. Leave the view now.
            guard verify(vote) else { return drop(.badSignature) }
            stats.equivocationsSeen += 1
            drop(.equivocation, offender: content.replica)
            return startViewChange(to: view + 1)
        }
        guard batch.digest(using: hash) == content.digest else { return drop(.badBatch) }
        if let refusal = refusal(of: batch, at: content.sequence) { return drop(refusal) }
        guard verify(vote) else { return drop(.badSignature) }
        accept(vote, batch, into: slot)
    }

    /// Enters a pre-prepare into the log; a backup also votes PREPARE. The
    /// record is persisted before the vote leaves, so a restart cannot vote for
    /// another batch at this (view, sequence).
    mutating func accept(_ vote: SignedVote, _ batch: Batch, into slot: Slot) {
        var slot = slot
        let content = vote.content
        precondition(slot.prePrepare == nil && slot.view == content.view)
        slot.prePrepare = vote
        slot.batch = batch
        slot.requestDigests = batch.requests.map { hash.digest($0) }
        output.append(.persist(.accepted(vote, batch)))
        if content.replica != id {
            let prepare = sign(Vote(kind: .prepare, view: content.view, sequence: content.sequence, digest: content.digest, replica: id))
            slot.prepares[id] = prepare
            output.append(.broadcast(.prepare(prepare)))
        }
        log[content.sequence] = slot
        checkPrepared(content.sequence)
    }

    /// What a backup demands of a batch beyond its digest: the configured
    /// limits, valid and distinct requests, and a timestamp close to its own
    /// time and not before its neighbours'. The first part every correct
    /// primary meets, whatever the network does; the timestamp a late message
    /// or a drifting clock can break, so it is refused without blame.
    func refusal(of batch: Batch, at sequence: SequenceNumber) -> DropReason? {
        guard !batch.isNull, batch.requests.count <= config.maxBatchRequests, batch.requestBytes <= config.maxBatchBytes,
              batch.requests.allSatisfy({ $0.count <= config.maxRequestBytes && config.isValidRequest($0) }),
              Set(batch.requests).count == batch.requests.count
        else { return .unacceptableBatch }
        let timestamp = batch.timestamp
        guard timestamp <= now + config.timestampBound, timestamp + config.timestampBound >= now,
              timestamp >= lastExecutedTimestamp
        else { return .badTimestamp }
        for (other, slot) in log where slot.view == view {
            guard let neighbour = slot.batch, !neighbour.isNull else { continue }
            if other < sequence && neighbour.timestamp > timestamp { return .badTimestamp }
            if other > sequence && neighbour.timestamp < timestamp { return .badTimestamp }
        }
        return nil
    }

    mutating func onPrepare(_ vote: SignedVote) {
        let content = vote.content
        guard content.kind == .prepare else { return drop(.malformed) }
        guard content.replica != id else { return dropOwn(vote, relayed: false) }
        guard isFromSigner(content.replica) else { return drop(.notFromSigner) }
        guard content.replica != config.primary(of: content.view) else { return drop(.wrongSender) }
        guard content.view == view, !isChangingView else { return drop(content.view < view ? .staleView : .futureView) }
        guard inWindow(content.sequence) else { return drop(.outOfWindow) }
        var slot = log[content.sequence] ?? Slot(sequence: content.sequence, view: view)
        slot.moveTo(view: view)
        if let earlier = slot.prepares[content.replica] { return dropRepeated(vote, earlier: earlier) }
        guard verify(vote) else { return drop(.badSignature) }
        slot.prepares[content.replica] = vote
        log[content.sequence] = slot
        checkPrepared(content.sequence)
    }

    mutating func onCommit(_ vote: SignedVote) {
        let content = vote.content
        guard content.kind == .commit else { return drop(.malformed) }
        guard content.replica != id else { return dropOwn(vote, relayed: false) }
        guard isFromSigner(content.replica) else { return drop(.notFromSigner) }
        guard content.view == view, !isChangingView else { return drop(content.view < view ? .staleView : .futureView) }
        guard inWindow(content.sequence) else { return drop(.outOfWindow) }
        var slot = log[content.sequence] ?? Slot(sequence: content.sequence, view: view)
        slot.moveTo(view: view)
        if let earlier = slot.commits[content.replica] { return dropRepeated(vote, earlier: earlier) }
        guard verify(vote) else { return drop(.badSignature) }
        highestSeen = max(highestSeen, content.sequence)
        slot.commits[content.replica] = vote
        log[content.sequence] = slot
        checkCommitted(content.sequence)
    }

    /// A second PREPARE or COMMIT of one replica at one (view, sequence): a
    /// retransmission when it repeats the first, else a double vote, proven
    /// once its signature checks. Only the first counts either way, so a
    /// double vote cannot help a batch to a quorum.
    mutating func dropRepeated(_ vote: SignedVote, earlier: SignedVote) {
        guard vote.content.digest != earlier.content.digest else { return drop(.duplicate) }
        guard verify(vote) else { return drop(.badSignature) }
        stats.equivocationsSeen += 1
        drop(.equivocation, offender: vote.content.replica)
    }

    /// Pre-prepare plus 2f matching PREPAREs from other backups: prepared.
    /// The certificate is persisted before COMMIT leaves, so a VIEW-CHANGE after
    /// a restart still carries it.
    mutating func checkPrepared(_ sequence: SequenceNumber) {
        guard var slot = log[sequence], let prePrepare = slot.prePrepare, let batch = slot.batch, !slot.sentCommit else { return }
        let content = prePrepare.content
        let matching = slot.prepares.values.filter { $0.content.digest == content.digest && $0.content.view == content.view }
        guard matching.count >= config.prepareQuorum else { return }
        let certificate = PreparedCertificate(
            prePrepare: prePrepare, prepares: VoteList.sorted(matching).prefix(config.prepareQuorum))
        slot.prepared = certificate
        slot.preparedBatch = batch
        output.append(.persist(.prepared(certificate, batch)))
        let commit = sign(Vote(kind: .commit, view: content.view, sequence: sequence, digest: content.digest, replica: id))
        slot.commits[id] = commit
        slot.sentCommit = true
        output.append(.broadcast(.commit(commit)))
        log[sequence] = slot
        checkCommitted(sequence)
    }

    /// Prepared here and 2f+1 matching COMMITs: committed.
    mutating func checkCommitted(_ sequence: SequenceNumber) {
        guard let slot = log[sequence], slot.committed == nil, slot.sentCommit,
              let prePrepare = slot.prePrepare, let batch = slot.batch else { return }
        let matching = slot.commits.values.filter {
            $0.content.digest == prePrepare.content.digest && $0.content.view == prePrepare.content.view
        }
        guard matching.count >= config.commitQuorum else { return }
        commit(sequence, CommitCertificate(commits: VoteList.sorted(matching).prefix(config.commitQuorum)), batch)
    }

    mutating func commit(_ sequence: SequenceNumber, _ certificate: CommitCertificate, _ batch: Batch) {
        var slot = log[sequence] ?? Slot(sequence: sequence, view: view)
        precondition(slot.committed == nil)
        slot.committed = certificate
        slot.committedBatch = batch
        log[sequence] = slot
        let committed = CommittedBatch(sequence: sequence, batch: batch, certificate: certificate)
        output.append(.persist(.committed(certificate, batch)))
        output.append(.reportCommitted(committed))
        executeReady()
    }

    /// Hands out committed batches in order, without gaps, unless a state
    /// transfer is under way (the application is about to be replaced).
    mutating func executeReady() {
        guard fetching == nil else { return }
        while let slot = log[executeIssued + 1], let certificate = slot.committed, let batch = slot.committedBatch {
            executeIssued += 1
            output.append(.execute(CommittedBatch(sequence: executeIssued, batch: batch, certificate: certificate)))
        }
    }

    mutating func onExecuted(_ sequence: SequenceNumber, root: Digest) {
        guard sequence == lastExecuted + 1, sequence <= executeIssued else { return }
        lastExecuted = sequence
        var progressed = false
        if let batch = log[sequence]?.committedBatch {
            for request in batch.requests {
                let digest = hash.digest(request)
                if pending.contains(digest) { progressed = true }
                pending.remove(digest)
                recentlyExecuted.insert(digest)
            }
            if !batch.isNull { lastExecutedTimestamp = max(lastExecutedTimestamp, batch.timestamp) }
        }
        // During a view change the progress timer waits for NEW-VIEW; execution
        // by certificate must not reset it.
        if progressed && !isChangingView {
            viewChangeAttempts = 0
            cancelTimer(.progress)
            armProgressTimer()
        } else if pending.isEmpty && !isChangingView {
            cancelTimer(.progress)
        }
        if sequence % config.checkpointInterval == 0 {
            voteCheckpoint(sequence, root: root)
        }
    }
}
