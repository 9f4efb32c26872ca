import Consensus
import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerStore

public enum ExecutionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The batch is not the one after the ledger's head.
    case outOfOrder(sequence: UInt64, head: UInt64)
    case ledger(String)

    public var description: String {
        switch self {
        case let .outOfOrder(sequence, head): "batch \(sequence) does not follow the ledger head at height \(head)"
        case let .ledger(message): "ledger: \(message)"
        }
    }
}

/// Turns a committed consensus batch into the next ledger block and applies
/// it, with the block archive and commit certificate in the same atomic write.
///
/// Every replica derives the same block from the same batch: height is the
/// sequence number, the time is the primary's timestamp but never earlier than
/// the previous block's (a null batch, which carries no time, takes the
/// previous block's), and the proposer is the batch's.
struct CommittedBlockApplier: Sendable {
    let ledger: Ledger
    /// Address of each replica's node key, by replica index.
    let proposers: [Address]

    func apply(
        batch: Batch, certificate: CommitCertificate, sequence: UInt64
    ) throws(ExecutionError) -> (execution: BlockExecution, archived: ArchivedBlock, skipped: Int) {
        let head: ChainHead
        do { head = try ledger.head() } catch { throw .ledger("\(error)") }
        guard head.height.value + 1 == sequence else { throw .outOfOrder(sequence: sequence, head: head.height.value) }

        let (transactions, skipped) = BlockTransactions.decode(batch)
        let time = batch.isNull ? head.timeMillis : max(batch.timestamp, head.timeMillis)
        // The batch names its proposer: agreed data, unlike the certificate's
        // view (a batch may commit in a later view than it was proposed in).
        let proposer = proposers[batch.proposer.index < proposers.count ? batch.proposer.index : 0]
        let block: Block
        do { block = try ledger.nextBlock(transactions: transactions, timeMillis: time, proposer: proposer) } catch {
            throw .ledger("\(error)")
        }
        let archived = ArchivedBlock(header: block.header, batch: batch, certificate: certificate)
        let execution: BlockExecution
        do {
            execution = try ledger.apply(block, signatures: .verify) { execution in
                BlockArchive.records(for: archived, hash: execution.head.blockHash)
            }
        } catch {
            throw .ledger("\(error)")
        }
        return (execution, archived, skipped)
    }
}
