import Consensus
import LedgerCore
import LedgerState

/// A state transfer in progress: the replica asked for the state at a stable
/// checkpoint it cannot reach by executing (its peers have discarded the
/// messages). The node fetches the archived blocks up to that checkpoint from
/// its peers, checks each block's commit certificate with the replica's own
/// rules, replays them, and compares the resulting root with the checkpoint's.
struct SyncProgress: Sendable {
    static let retryMillis: UInt64 = 1000
    let target: CheckpointCertificate
    var peerCursor: Int
    var lastRequestMillis: UInt64 = 0
}

extension NodeDriver {
    func beginSync(_ checkpoint: CheckpointCertificate) {
        if let current = sync, current.target.sequence >= checkpoint.sequence { return }
        logger.notice("state transfer", metadata: ["checkpoint": "\(checkpoint.sequence)", "root": "\(checkpoint.stateRoot.hex.prefix(16))"])
        sync = SyncProgress(target: checkpoint, peerCursor: replica.id.index)
        requestBlocks(rotate: true)
    }

    /// Asks one peer (the next one when `rotate`) for the blocks still missing.
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
            progress.peerCursor = (progress.peerCursor + 1) % replicaCount
            if progress.peerCursor == replica.id.index { progress.peerCursor = (progress.peerCursor + 1) % replicaCount }
        }
        progress.lastRequestMillis = Self.nowMillis()
        sync = progress
        let request = PeerFrame.blocksRequest(from: height + 1, through: progress.target.sequence)
        network.send(Canonical.encode(request), to: progress.peerCursor)
    }

    func acceptSyncBlocks(_ blocks: [ArchivedBlock], from peer: Int) {
        guard let progress = sync else { return }
        for archived in blocks {
            let height: UInt64
            do { height = try applier.ledger.head().height.value } catch {
                fail("cannot read the ledger head: \(error)")
                return
            }
            let sequence = archived.block.header.height.value
            guard sequence == height + 1, sequence <= progress.target.sequence else { continue }
            guard let batch = try? archived.batch(),
                  replica.isValidCommit(archived.certificate, for: batch, at: sequence)
            else {
                logger.warning("peer sent a block without a valid commit certificate", metadata: ["peer": "\(peer)", "height": "\(sequence)"])
                requestBlocks(rotate: true)
                return
            }
            do throws(ExecutionError) {
                let (execution, _, skipped) = try applier.apply(batch: batch, certificate: archived.certificate, sequence: sequence)
                applied(execution, skipped: skipped)
            } catch {
                fail("cannot apply synced block \(sequence): \(error)")
                return
            }
        }
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
        if head.height.value == target.sequence, head.stateRoot == target.stateRoot {
            logger.notice("state transfer done", metadata: ["height": "\(head.height)"])
            step(.stateTransferred(target.sequence, stateRoot: head.stateRoot))
        } else {
            // Replaying certified blocks cannot give another root unless this
            // node's ledger diverged: say so loudly, and let the replica retry.
            logger.critical("state transfer reached another state root", metadata: [
                "height": "\(head.height)", "root": "\(head.stateRoot.hex)", "expected": "\(target.stateRoot.hex)",
            ])
            step(.stateTransferFailed(target.sequence))
        }
    }

    /// Answers a peer's block request from the archive, within the response
    /// limits; a request beyond this node's height gets what it has.
    func serveBlocks(from: UInt64, through: UInt64, to peer: Int) {
        var blocks: [ArchivedBlock] = []
        var bytes = 0
        var height = from
        while height <= through, blocks.count < PeerFrame.maxBlocksPerResponse, bytes < PeerFrame.responseByteBudget {
            let archived: ArchivedBlock?
            do { archived = try archive.block(at: height) } catch {
                logger.error("cannot read the block archive", metadata: ["height": "\(height)", "error": "\(error)"])
                break
            }
            guard let archived else { break }
            bytes += Canonical.encode(archived).count
            blocks.append(archived)
            height += 1
        }
        guard !blocks.isEmpty else { return }
        network.send(Canonical.encode(PeerFrame.blocksResponse(blocks)), to: peer)
    }
}
