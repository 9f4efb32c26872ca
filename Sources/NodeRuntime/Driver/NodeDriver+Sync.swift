import Consensus
import LedgerCore
import LedgerState

/// A state transfer in progress: the replica asked for the state at a stable
/// checkpoint it cannot reach by executing (its peers have discarded the
/// messages). The node fetches the archived blocks up to that checkpoint from
/// one peer at a time, checks each block's commit certificate with the
/// replica's own rules, replays them, and compares the resulting root with the
/// checkpoint's.
///
/// Only answers from the peer asked count, and only progress keeps that peer:
/// a peer that answers with nothing useful, or not at all within
/// `retryMillis`, is replaced by the next one, so one faulty peer can delay a
/// transfer but not stall it.
struct SyncProgress: Sendable {
    static let retryMillis: UInt64 = 1000
    /// Between two requests to one peer: above the peer's `serveIntervalMillis`,
    /// with room for the time the request takes to reach it.
    static let paceMillis: UInt64 = NodeDriver.serveIntervalMillis * 2
    var target: CheckpointCertificate
    var peer: Int
    var lastProgressMillis: UInt64 = 0
    var lastRequestMillis: UInt64 = 0
}

extension NodeDriver {
    /// Called from within `perform`: only records the target. The first request
    /// goes out from the next `tick`, so completing a transfer (which steps the
    /// replica) never runs inside another step.
    func beginSync(_ checkpoint: CheckpointCertificate) {
        if let current = sync {
            guard checkpoint.sequence > current.target.sequence else { return }
            // A live cluster certifies a checkpoint every few seconds while a
            // wiped node replays. Starting over would drop the response in
            // flight from the current peer and wait for the next tick; the
            // blocks asked for lead to the newer checkpoint just the same.
            logger.debug("state transfer target moved", metadata: ["checkpoint": "\(checkpoint.sequence)"])
            sync?.target = checkpoint
            return
        }
        logger.notice("state transfer", metadata: ["checkpoint": "\(checkpoint.sequence)", "root": "\(checkpoint.stateRoot.hex.prefix(16))"])
        sync = SyncProgress(target: checkpoint, peer: replica.id.index)
    }

    /// From `tick`: the first request, or a new peer when the current one made
    /// no progress for `retryMillis`.
    func syncTick(now: UInt64) {
        guard let progress = sync else { return }
        if progress.lastRequestMillis == 0 || now >= max(progress.lastProgressMillis, progress.lastRequestMillis) + SyncProgress.retryMillis {
            requestBlocks(rotate: true)
        }
    }

    /// Asks one peer (the next one when `rotate`) for the blocks still missing,
    /// or completes the transfer when none are.
    func requestBlocks(rotate: Bool) {
        guard var progress = sync else { return }
        let height: UInt64
        do { height = try applier.ledger.head().height.value } catch {
            fail("cannot read the ledger head: \(error)")
            return
        }
        guard height < progress.target.sequence else {
            finishSync()
            return
        }
        if rotate {
            progress.peer = (progress.peer + 1) % replicaCount
            if progress.peer == replica.id.index { progress.peer = (progress.peer + 1) % replicaCount }
        }
        progress.lastRequestMillis = Self.nowMillis()
        sync = progress
        network.send(Canonical.encode(PeerFrame.blocksRequest(from: height + 1, through: progress.target.sequence)), to: progress.peer)
    }

    func acceptSyncBlocks(_ blocks: [ArchivedBlock], from peer: Int) {
        guard let progress = sync, peer == progress.peer else { return }
        var applied = 0
        for archived in blocks {
            let height: UInt64
            do { height = try applier.ledger.head().height.value } catch {
                fail("cannot read the ledger head: \(error)")
                return
            }
            let sequence = archived.header.height.value
            guard sequence == height + 1, sequence <= progress.target.sequence else { break }
            guard replica.isValidCommit(archived.certificate, for: archived.batch, at: sequence) else {
                logger.debug("peer sent a block without a valid commit certificate", metadata: ["peer": "\(peer)", "height": "\(sequence)"])
                // Correct peers serve only blocks they applied, each with its certificate.
                offend(peer, .badCertificate)
                break
            }
            do throws(ExecutionError) {
                let (execution, stored, skipped) = try applier.apply(batch: archived.batch, certificate: archived.certificate, sequence: sequence)
                self.applied(execution, header: stored.header, skipped: skipped)
                applied += 1
            } catch {
                fail("cannot apply synced block \(sequence): \(error)")
                return
            }
        }
        guard applied > 0 else {
            // Nothing usable: ask the next peer now rather than wait.
            requestBlocks(rotate: true)
            return
        }
        let now = Self.nowMillis()
        sync?.lastProgressMillis = now
        // The peer answers one request per `serveIntervalMillis` and drops the
        // rest unanswered; asked again at once, it would drop this one and
        // the transfer would wait out `retryMillis` for every 16 blocks (seen
        // in the chaos campaign: a wiped node replaying ~20 blocks a second,
        // slower than a loaded cluster makes them).
        let sent = progress.lastRequestMillis
        let ready = sent + SyncProgress.paceMillis
        if now >= ready {
            requestBlocks(rotate: false)
        } else {
            Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(Int64(ready - now)))
                await self?.requestNextBlocks(ifStillAfter: sent)
            }
        }
    }

    /// The paced request of `acceptSyncBlocks`, unless the transfer ended or
    /// another request (a retry, a new target) went out meanwhile.
    func requestNextBlocks(ifStillAfter sent: UInt64) {
        guard let progress = sync, progress.lastRequestMillis == sent else { return }
        requestBlocks(rotate: false)
    }

    func finishSync() {
        guard let progress = sync else { return }
        sync = nil
        let head: ChainHead
        do { head = try applier.ledger.head() } catch {
            fail("cannot read the ledger head: \(error)")
            return
        }
        let target = progress.target
        guard head.height.value == target.sequence, head.stateRoot == target.stateRoot else {
            // Replaying blocks certified by 2f+1 replicas cannot reach another
            // root unless this node's ledger diverged (a bug, or a damaged
            // disk). Going on would serve wrong answers: stop.
            fail("state transfer reached height \(head.height) with root \(head.stateRoot.hex), but checkpoint \(target.sequence) has root \(target.stateRoot.hex)")
            return
        }
        logger.notice("state transfer done", metadata: ["height": "\(head.height)"])
        step(.stateTransferred(target.sequence, stateRoot: head.stateRoot))
    }

    /// Answers a peer's block request from the archive, within the response
    /// limits and at most one response per peer per `serveIntervalMillis`, so a
    /// peer repeating requests cannot monopolise the driver.
    func serveBlocks(from: UInt64, through: UInt64, to peer: Int) {
        let now = Self.nowMillis()
        if let last = lastServed[peer], now < last + Self.serveIntervalMillis { return }
        lastServed[peer] = now
        var blocks: [ArchivedBlock] = []
        var bytes = 0
        var height = from
        while height <= through, blocks.count < PeerFrame.maxBlocksPerResponse, bytes < PeerFrame.responseByteBudget {
            let stored: (ArchivedBlock, Int)?
            do { stored = try archive.blockWithSize(at: height) } catch {
                logger.error("cannot read the block archive", metadata: ["height": "\(height)", "error": "\(error)"])
                break
            }
            guard let (archived, size) = stored else { break }
            bytes += size
            blocks.append(archived)
            height += 1
        }
        guard !blocks.isEmpty else { return }
        network.send(Canonical.encode(PeerFrame.blocksResponse(blocks)), to: peer)
    }
}
