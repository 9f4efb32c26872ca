import LedgerCore
import LedgerStore
import StateTree

/// Block 0 and the state it installs, derived from the genesis document alone,
/// so every replica that starts from the same document has the same genesis
/// hash and root.
///
/// The genesis header is special in two fields: `transactionsRoot` is the suite
/// hash of the canonical genesis document (so the genesis hash commits to every
/// byte of it), and `stateRoot` is the root of the state it installs (the state
/// "after" block 0, which block 1 then carries as its parent's root).
public enum GenesisState {
    public static func block(for genesis: GenesisDocument) throws(LedgerError) -> (block: Block, execution: BlockExecution) {
        let chain = ChainParameters(genesis: genesis)
        var overlay = StateOverlay(base: InMemoryStore(columnFamilies: LedgerColumns.all))
        for type in genesis.licenceTypes {
            overlay.put(LicenceTypeRecord(type), at: StateKey.licenceType(type.code))
        }
        for bureau in genesis.bureaus {
            overlay.put(BureauRecord(bureau), at: StateKey.bureau(bureau.id))
            overlay.put(KeyOwnerRecord(.bureauNode(bureau.id)), at: StateKey.keyOwner(bureau.nodeKey))
            overlay.put(KeyOwnerRecord(.bureauAdmin(bureau.id)), at: StateKey.keyOwner(bureau.adminKey))
        }
        overlay.put(BureauSetRecord(genesis.bureaus.map(\.id)), at: StateKey.bureauSet)
        overlay.putRaw(bigEndian(0), at: StateKey.governanceSequence)
        overlay.commitTransaction()

        var batch = WriteBatch()
        let root: Digest
        do {
            root = try StateTree(columnFamily: LedgerColumns.tree, hash: chain.suite)
                .update(overlay.state, reader: overlay.base, batch: &batch)
        } catch {
            throw .fault(.tree("\(error)"))
        }
        overlay.appendWrites(to: &batch)
        let genesisHash = chain.suite.digest(Canonical.encode(genesis))
        let header = BlockHeader(
            chainID: genesis.chainID, height: .genesis, previousHash: .zero, timestampMillis: genesis.genesisTimeMillis,
            transactionsRoot: genesisHash, stateRoot: root, proposer: Address(unchecked: [UInt8](repeating: 0, count: 20)))
        let block: Block
        do {
            block = try Block(header: header, transactions: [])
        } catch {
            preconditionFailure("an empty block is within every limit: \(error)")
        }
        let head = ChainHead(
            height: .genesis, blockHash: header.hash(using: chain.suite), stateRoot: root,
            timeMillis: genesis.genesisTimeMillis)
        batch.put(MetaKey.head, Canonical.encode(head), in: LedgerColumns.meta)
        batch.put(MetaKey.genesis, genesisHash.bytes, in: LedgerColumns.meta)
        return (block, BlockExecution(receipts: [], head: head, batch: batch))
    }
}
