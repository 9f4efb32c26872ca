import LedgerCore

/// The primary cuts batches by count, bytes and time.
extension Replica {
    mutating func maybePropose() {
        guard isPrimary, !isChangingView else { return }
        // Bounded by the window: each pass assigns one sequence number or stops.
        while nextSequence <= highWatermark {
            let next = pending.nextBatch(maxCount: config.maxBatchRequests, maxBytes: config.maxBatchBytes)
            guard !next.requests.isEmpty else {
                cancelTimer(.batch)
                batchDue = false
                return
            }
            if !next.full && !batchDue && config.batchDelay > 0 {
                if !runningTimers.contains(.batch) { setTimer(.batch, after: config.batchDelay) }
                return
            }
            batchDue = false
            cancelTimer(.batch)
            propose(requests: next.requests, digests: next.digests)
        }
    }

    /// Assigns the next sequence number. The timestamp is this replica's time,
    /// never below a timestamp already in the log, so block time is monotonic.
    mutating func propose(requests: [[UInt8]], digests: [Digest]) {
        let sequence = nextSequence
        nextSequence += 1
        var timestamp = max(now, lastExecutedTimestamp)
        for slot in log.values where slot.view == view {
            if let batch = slot.batch, !batch.isNull { timestamp = max(timestamp, batch.timestamp) }
        }
        let batch: Batch
        do {
            batch = try Batch(timestamp: timestamp, proposer: id, requests: requests)
        } catch {
            preconditionFailure("pending requests were admitted under the configured limits: \(error)")
        }
        let digest = batch.digest(using: hash)
        let vote = sign(Vote(kind: .prePrepare, view: view, sequence: sequence, digest: digest, replica: id))
        var slot = log[sequence] ?? Slot(sequence: sequence, view: view)
        slot.moveTo(view: view)
        for request in digests { pending.setProposed(request, true) }
        stats.batchesProposed += 1
        accept(vote, batch, into: slot)
        // accept() persisted the pre-prepare first; only now may it leave.
        output.append(.broadcast(.prePrepare(vote, batch)))
    }
}
