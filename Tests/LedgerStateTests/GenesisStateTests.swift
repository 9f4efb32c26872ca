import LedgerCore
import LedgerState
import LedgerStore
import Testing

@Suite("Genesis state and block")
struct GenesisStateTests {
    @Test("The genesis block and its hash derive from the document alone, and commit to every byte of it")
    func derivation() throws {
        let a = try LedgerHarness(seed: 51)
        let again = try GenesisState.block(for: a.genesis)
        let first = try GenesisState.block(for: a.genesis)
        #expect(again.block == first.block)
        #expect(again.execution.head == first.execution.head)
        #expect(first.block.header.height == .genesis)
        #expect(first.block.header.transactionsRoot == a.suite.digest(Canonical.encode(a.genesis)))
        #expect(try a.ledger.head() == first.execution.head)

        // Another document (other keys) gives another hash and root.
        let b = try LedgerHarness(seed: 52)
        let other = try GenesisState.block(for: b.genesis)
        #expect(other.execution.head.blockHash != first.execution.head.blockHash)
        #expect(other.execution.head.stateRoot != first.execution.head.stateRoot)
    }

    @Test("Block 1 extends genesis: its parent is the genesis hash and it carries the genesis root")
    func firstBlock() throws {
        let h = try LedgerHarness(seed: 53)
        let genesis = try GenesisState.block(for: h.genesis)
        let block = try h.ledger.nextBlock(transactions: [], timeMillis: h.time + 1, proposer: Address(unchecked: [UInt8](repeating: 0, count: 20)))
        #expect(block.header.previousHash == genesis.execution.head.blockHash)
        #expect(block.header.stateRoot == genesis.execution.head.stateRoot)
        try h.ledger.apply(block)
        #expect(try h.ledger.head().height == 1)
    }

    @Test("Genesis installs the bureaus, their keys and the catalogue")
    func installedState() throws {
        let h = try LedgerHarness(seed: 54)
        let queries = try h.ledger.queries()
        defer { queries.close() }
        #expect(try queries.bureaus() == h.genesis.bureaus)
        for bureau in h.genesis.bureaus {
            #expect(try queries.owner(of: bureau.adminKey) == .bureauAdmin(bureau.id))
            #expect(try queries.owner(of: bureau.nodeKey) == .bureauNode(bureau.id))
        }
        for type in h.genesis.licenceTypes {
            #expect(try queries.licenceType(type.code) == type)
        }
    }

    @Test("A store without the ledger's column families is refused with a clear error")
    func missingColumns() throws {
        let h = try LedgerHarness(seed: 55)
        #expect {
            _ = try Ledger(store: InMemoryStore(columnFamilies: []), genesis: h.genesis)
        } throws: { error in
            "\(error)".contains("column families")
        }
    }
}
