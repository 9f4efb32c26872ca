import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPI
import Synchronization

/// A NodeBackend over a real in-memory ledger. The mempool is an array; the
/// test "commits" it with `commit()`, which builds the next block with
/// `Ledger.nextBlock` and applies it, as a primary's node would after PBFT.
final class TestBackend: NodeBackend {
    let chain: TestChain
    var suite: any CryptoSuite { chain.suite }

    private struct State {
        var mempool: [(id: TxID, tx: SignedTransaction)] = []
        var blocks: [StoredBlock] = []
        var capacity = 100
        var unavailable: String?
        /// Receipt requests now waiting for a commit.
        var waiting = 0
    }
    private let state = Mutex(State())

    init(chain: TestChain) { self.chain = chain }

    /// Makes every later submission find the mempool full.
    func setCapacity(_ capacity: Int) { state.withLock { $0.capacity = capacity } }

    /// Makes reads fail as a syncing or faulty node's would.
    func setUnavailable(_ why: String?) { state.withLock { $0.unavailable = why } }

    var mempoolCount: Int { state.withLock { $0.mempool.count } }

    var waitingReceipts: Int { state.withLock { $0.waiting } }

    // MARK: Test driving

    /// Applies the mempool as the next block and returns its receipts.
    @discardableResult
    func commit() throws -> [Receipt] {
        try state.withLock { state in
            let transactions = state.mempool.map(\.tx)
            let block = try chain.ledger.nextBlock(
                transactions: transactions, timeMillis: chain.advanceTime(),
                proposer: Address(unchecked: [UInt8](repeating: 1, count: 20)))
            let execution = try chain.ledger.apply(block)
            let head = try chain.ledger.head()
            state.blocks.append(
                StoredBlock(block: block, blockHash: head.blockHash, commitCertificate: [0x30, 0x03, 0x02, 0x01, 0x07], signers: [0, 1, 2]))
            state.mempool.removeAll()
            return execution.receipts
        }
    }

    /// Submits and commits `transactions` in one block, expecting each accepted
    /// unless `allowingRefusals`.
    @discardableResult
    func run(_ transactions: [SignedTransaction], allowingRefusals: Bool = false) throws -> [Receipt] {
        state.withLock { state in
            for tx in transactions { state.mempool.append((tx.transaction.id(using: suite), tx)) }
        }
        let receipts = try commit()
        for receipt in receipts where !receipt.accepted && !allowingRefusals {
            throw TestFailure("refused: \(receipt.code.rawValue) \(receipt.message)")
        }
        return receipts
    }

    // MARK: NodeBackend

    func submit(_ transactions: [[UInt8]]) async -> [SubmitOutcome] {
        transactions.map { bytes in
            let signed: SignedTransaction
            do { signed = try Canonical.decode(SignedTransaction.self, from: bytes) } catch {
                return .rejected(code: "MALFORMED_TRANSACTION", message: "not a canonical SignedTransaction: \(error)")
            }
            guard let key = try? suite.publicKey(sec1: signed.transaction.sender.bytes),
                  suite.verify(signature: signed.signature, for: signed.transaction.signingMessage, publicKey: key)
            else { return .rejected(code: "BAD_SIGNATURE", message: "the signature does not verify") }
            let id = signed.transaction.id(using: suite)
            let committed = (try? chain.ledger.queries()).flatMap { queries in
                defer { queries.close() }
                return try? queries.receipt(of: id)
            }
            return state.withLock { state -> SubmitOutcome in
                if committed != nil || state.mempool.contains(where: { $0.id == id }) { return .known(id) }
                guard state.mempool.count < state.capacity else { return .full(retryAfterSeconds: 3) }
                state.mempool.append((id, signed))
                return .accepted(id)
            }
        }
    }

    func receipt(of transaction: TxID, waitMillis: UInt64?) async throws(NodeBackendError) -> ReceiptLookup {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .milliseconds(waitMillis ?? 0))
        var counted = false
        defer { if counted { state.withLock { $0.waiting -= 1 } } }
        while true {
            let committed = try await withQueries { queries throws(LedgerError) in try queries.receipt(of: transaction) }
            if let committed { return .committed(committed) }
            guard state.withLock({ $0.mempool.contains { $0.id == transaction } }) else { return .unknown }
            guard clock.now < deadline else { return .pending }
            if !counted {
                counted = true
                state.withLock { $0.waiting += 1 }
            }
            // Polling is good enough for a fake; a cancelled sleep ends the wait.
            guard (try? await Task.sleep(for: .milliseconds(5))) != nil else { return .pending }
        }
    }

    func status() async -> NodeStatus {
        let head = try! chain.ledger.head()
        return NodeStatus(
            nodeName: "test-node", replica: 0, chainID: chain.genesis.chainID.value, suite: suite.id.rawValue,
            height: head.height.value, blockHash: head.blockHash, stateRoot: head.stateRoot, blockTimeMillis: head.timeMillis,
            view: 0, primary: 0, changingView: false, connectedPeers: [1, 2, 3], mempoolSize: mempoolCount,
            certifiedHeight: state.withLock { $0.blocks.last?.block.header.height.value },
            peerOffences: [
                PeerOffenceCount(peer: 2, reason: "badSignature", count: 1),
                PeerOffenceCount(peer: 3, reason: "equivocation", count: 2),
            ])
    }

    func block(at height: Height) async throws(NodeBackendError) -> StoredBlock? {
        state.withLock { $0.blocks.first { $0.block.header.height == height } }
    }

    func block(hash: Digest) async throws(NodeBackendError) -> StoredBlock? {
        state.withLock { $0.blocks.first { $0.blockHash == hash } }
    }

    func withQueries<T: Sendable>(
        _ body: @Sendable (LedgerQueries) throws(LedgerError) -> T
    ) async throws(NodeBackendError) -> T {
        if let why = state.withLock({ $0.unavailable }) { throw .unavailable(why) }
        let queries: LedgerQueries
        do { queries = try chain.ledger.queries() } catch { throw .ledger("\(error)") }
        defer { queries.close() }
        do { return try body(queries) } catch { throw .ledger("\(error)") }
    }

    /// The current state as if its last block were certified; the certificate
    /// is a placeholder (the routes pass it on unread, clients check it).
    func withCertifiedQueries<T: Sendable>(
        minHeight: UInt64, waitMillis: UInt64, _ body: @Sendable (LedgerQueries) throws(LedgerError) -> T
    ) async throws(NodeBackendError) -> (value: T, certified: CertifiedBlock) {
        guard let last = state.withLock({ $0.blocks.last }), last.block.header.height.value >= minHeight else {
            throw .unavailable("no certified state at height \(minHeight) or above yet")
        }
        let value = try await withQueries(body)
        return (value, CertifiedBlock(header: last.block.header, certificate: Self.placeholderCertificate))
    }

    static let placeholderCertificate: [UInt8] = [0x30, 0x02, 0x30, 0x00]
}

/// A backend that never answers `status()` (until cancelled), for the deadline test.
struct HangingBackend: NodeBackend {
    let inner: TestBackend
    var suite: any CryptoSuite { inner.suite }
    func submit(_ transactions: [[UInt8]]) async -> [SubmitOutcome] { await inner.submit(transactions) }
    func receipt(of transaction: TxID, waitMillis: UInt64?) async throws(NodeBackendError) -> ReceiptLookup {
        try await inner.receipt(of: transaction, waitMillis: waitMillis)
    }
    func status() async -> NodeStatus {
        try? await Task.sleep(for: .seconds(3_600))
        return await inner.status()
    }
    func block(at height: Height) async throws(NodeBackendError) -> StoredBlock? { try await inner.block(at: height) }
    func block(hash: Digest) async throws(NodeBackendError) -> StoredBlock? { try await inner.block(hash: hash) }
    func withQueries<T: Sendable>(
        _ body: @Sendable (LedgerQueries) throws(LedgerError) -> T
    ) async throws(NodeBackendError) -> T {
        try await inner.withQueries(body)
    }
    func withCertifiedQueries<T: Sendable>(
        minHeight: UInt64, waitMillis: UInt64, _ body: @Sendable (LedgerQueries) throws(LedgerError) -> T
    ) async throws(NodeBackendError) -> (value: T, certified: CertifiedBlock) {
        try await inner.withCertifiedQueries(minHeight: minHeight, waitMillis: waitMillis, body)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
