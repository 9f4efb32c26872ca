import LedgerCore
import LedgerStore
import Synchronization

/// A chain's state in one store: genesis installed once, then blocks applied
/// one at a time, each in a single synced batch, so a crash leaves either the
/// whole block or none of it.
public final class Ledger: Sendable {
    public let store: any KeyValueStore
    public let genesis: GenesisDocument
    public let executor: LedgerExecutor
    /// Serialises `apply`: two blocks executed against one snapshot would both
    /// extend the same head.
    private let applying = Mutex(())

    /// Opens the chain in `store`, installing `genesis` if the store is empty
    /// and refusing a store created from another genesis.
    public init(store: any KeyValueStore, genesis: GenesisDocument) throws(LedgerError) {
        let missing = LedgerColumns.all.filter { !store.columnFamilies.contains($0) }
        guard missing.isEmpty else {
            throw .genesis("the store lacks column families \(missing.map(\.name).joined(separator: ", "))")
        }
        self.store = store
        self.genesis = genesis
        self.executor = LedgerExecutor(chain: ChainParameters(genesis: genesis))

        let expected = executor.chain.suite.digest(Canonical.encode(genesis))
        let stored: [UInt8]?
        do { stored = try store.get(MetaKey.genesis, in: LedgerColumns.meta) } catch { throw .fault(.store(error)) }
        if let stored {
            guard stored == expected.bytes else {
                throw .genesis("the store was created from another genesis (\(Hex.encode(stored)), not \(expected.hex))")
            }
            return
        }
        let (_, execution) = try GenesisState.block(for: genesis)
        do { try store.write(execution.batch, sync: true) } catch { throw .fault(.store(error)) }
    }

    public func head() throws(LedgerError) -> ChainHead {
        try LedgerReads.head(in: store)
    }

    /// Executes `block` against the current state and makes the result durable.
    /// `alongside` adds the caller's own records for this block (the node's
    /// block archive and commit certificate) to the same atomic write, so a
    /// crash never leaves state without the block that produced it.
    @discardableResult
    public func apply(
        _ block: Block, signatures: SignaturePolicy = .verify,
        alongside: (BlockExecution) -> WriteBatch = { _ in WriteBatch() }
    ) throws(LedgerError) -> BlockExecution {
        try applying.withLock { _ throws(LedgerError) -> BlockExecution in
            let snapshot: any KeyValueSnapshot
            do throws(StoreError) { snapshot = try store.snapshot() } catch { throw .fault(.store(error)) }
            // Released before the write: a snapshot still open pins the
            // versions the write replaces (the in-memory store must copy
            // them rather than update in place).
            let execution: BlockExecution
            do {
                defer { snapshot.close() }
                execution = try executor.execute(block, on: snapshot, signatures: signatures)
            }
            var batch = execution.batch
            batch.append(contentsOf: alongside(execution))
            do throws(StoreError) { try store.write(batch, sync: true) } catch { throw .fault(.store(error)) }
            return execution
        }
    }

    /// The block that extends the current head with `transactions`, as a
    /// primary would propose it.
    public func nextBlock(
        transactions: [SignedTransaction], timeMillis: UInt64, proposer: Address
    ) throws(LedgerError) -> Block {
        let head = try head()
        let leaves = transactions.map { Canonical.encode($0) }
        let header = BlockHeader(
            chainID: genesis.chainID, height: head.height.next ?? head.height, previousHash: head.blockHash,
            timestampMillis: max(timeMillis, head.timeMillis),
            transactionsRoot: MerkleTree(leaves: leaves, hash: executor.chain.suite).root,
            stateRoot: head.stateRoot, proposer: proposer)
        do {
            return try Block(header: header, transactions: transactions)
        } catch {
            throw .block(.tooLarge("\(error)"))
        }
    }

    /// Queries over a snapshot taken now; close it when done.
    public func queries() throws(LedgerError) -> LedgerQueries {
        do {
            return LedgerQueries(snapshot: try store.snapshot(), chain: executor.chain)
        } catch {
            throw .fault(.store(error))
        }
    }
}
