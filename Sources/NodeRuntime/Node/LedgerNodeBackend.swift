import Consensus
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPI
import Synchronization

/// The API's view of a running node: admission checks run on the caller's
/// task (decoding and the signature check, the expensive part, in parallel
/// across requests); only the mempool insert and the hand-off to consensus go
/// through the driver actor.
struct LedgerNodeBackend: NodeBackend {
    let identity: NodeIdentity
    let ledger: Ledger
    let driver: NodeDriver
    let network: any PeerTransport
    /// Largest encoded transaction admitted: the consensus request limit.
    let maxTransactionBytes: Int
    let certified: CertifiedStates
    let waiters = WaiterCount()
    /// Receipt requests allowed to wait at once; beyond it they answer at once.
    static let maxWaiters = 1024

    var suite: any CryptoSuite { identity.suite }

    func submit(_ transactions: [[UInt8]]) async -> [SubmitOutcome] {
        // Shed load before any per-transaction work. Why: under overload,
        // clients retrying on 503 had every transaction decoded, its signature
        // verified and its receipt looked up only to be told "full"; 125,000
        // such answers on one node starved the replica until it stopped
        // committing (docs/performance.md, "Overload and admission").
        if await driver.mempoolIsFull {
            return transactions.map { _ in Self.full(perSender: false) }
        }
        var outcomes: [SubmitOutcome] = []
        outcomes.reserveCapacity(transactions.count)
        let queries: LedgerQueries
        let nextHeight: UInt64
        do {
            queries = try ledger.queries()
            nextHeight = try queries.head().height.value + 1
        } catch {
            return transactions.map { _ in .rejected(code: "UNAVAILABLE", message: "the ledger cannot be read: \(error)") }
        }
        defer { queries.close() }
        for bytes in transactions {
            outcomes.append(await admit(bytes, queries: queries, nextHeight: nextHeight))
        }
        return outcomes
    }

    private func admit(_ bytes: [UInt8], queries: LedgerQueries, nextHeight: UInt64) async -> SubmitOutcome {
        guard !bytes.isEmpty, bytes.count <= maxTransactionBytes else {
            return .rejected(code: "TRANSACTION_TOO_LARGE", message: "a transaction is 1 to \(maxTransactionBytes) bytes; this one is \(bytes.count)")
        }
        let signed: SignedTransaction
        do throws(CanonicalError) { signed = try Canonical.decode(SignedTransaction.self, from: bytes) } catch {
            return .rejected(code: "MALFORMED_TRANSACTION", message: "not a canonical SignedTransaction: \(error)")
        }
        let transaction = signed.transaction
        guard transaction.chainID == identity.genesis.chainID else {
            return .rejected(code: "WRONG_CHAIN", message: "the transaction is for chain \(transaction.chainID), this is \(identity.genesis.chainID)")
        }
        guard transaction.expiryHeight.value >= nextHeight else {
            return .rejected(code: "EXPIRED", message: "the transaction expired at height \(transaction.expiryHeight); the next block is \(nextHeight)")
        }
        let sender: PublicKey
        do throws(CryptoError) { sender = try suite.publicKey(sec1: transaction.sender.bytes) } catch {
            return .rejected(code: "BAD_SENDER_KEY", message: "the sender is not a \(suite.id) public key: \(error)")
        }
        guard suite.verify(signature: signed.signature, for: transaction.signingMessage, publicKey: sender) else {
            return .rejected(code: "BAD_SIGNATURE", message: "the signature does not verify for sender \(transaction.sender.hex)")
        }
        let id = transaction.id(using: suite)
        if (try? queries.receipt(of: id)) != nil { return .known(id) }
        switch await driver.admit(id, bytes: bytes, sender: transaction.sender, expiryHeight: transaction.expiryHeight.value) {
        case .accepted: return .accepted(id)
        case .known: return .known(id)
        case let .full(perSender): return Self.full(perSender: perSender)
        }
    }

    /// A full mempool's answer: a sender over its own limit waits longer.
    static func full(perSender: Bool) -> SubmitOutcome {
        .full(retryAfterSeconds: perSender ? 5 : 2)
    }

    func receipt(of transaction: TxID, waitMillis: UInt64?) async throws(NodeBackendError) -> ReceiptLookup {
        let receipt = try await poll(waitMillis: waitMillis ?? 0) { () throws(NodeBackendError) in
            try withSnapshot { queries throws(LedgerError) in try queries.receipt(of: transaction) }
        }
        if let receipt { return .committed(receipt) }
        return await driver.inMempool(transaction) ? .pending : .unknown
    }

    /// `attempt` until it answers, for up to `waitMillis` (capped at a minute).
    /// Waiting clients poll the store or the certified state, never the driver,
    /// so however many wait they do not slow consensus; their number is bounded
    /// all the same (beyond it, one attempt and no wait).
    private func poll<T>(
        waitMillis: UInt64, _ attempt: () throws(NodeBackendError) -> T?
    ) async throws(NodeBackendError) -> T? {
        let deadline = DriverClock.nowMillis() + min(waitMillis, 60_000)
        let waiting = waitMillis > 0 && waiters.enter(limit: Self.maxWaiters)
        defer { if waiting { waiters.leave() } }
        while true {
            if let answer = try attempt() { return answer }
            guard waiting, DriverClock.nowMillis() < deadline, !Task.isCancelled else { return nil }
            try? await Task.sleep(for: .milliseconds(25))
        }
    }

    func status() async -> NodeStatus {
        let snapshot = await driver.snapshot()
        let head = try? ledger.head()
        return NodeStatus(
            nodeName: identity.name, replica: identity.replica, chainID: identity.genesis.chainID.description,
            suite: suite.id.rawValue, height: head?.height.value ?? 0, blockHash: head?.blockHash ?? .zero,
            stateRoot: head?.stateRoot ?? .zero, blockTimeMillis: head?.timeMillis ?? 0, view: snapshot.view,
            primary: snapshot.primary, changingView: snapshot.changingView,
            connectedPeers: network.connectedPeers().sorted(), mempoolSize: snapshot.mempoolSize,
            certifiedHeight: certified.latest?.header.height.value, peerOffences: snapshot.offences)
    }

    func block(at height: Height) async throws(NodeBackendError) -> StoredBlock? {
        let archive = BlockArchive(reader: ledger.store)
        let archived: ArchivedBlock?
        do { archived = try archive.block(at: height.value) } catch { throw .unavailable("\(error)") }
        guard let archived else { return nil }
        let block: Block
        do { block = try archived.block() } catch { throw .unavailable("the archived block at height \(height) does not decode: \(error)") }
        return StoredBlock(
            block: block, blockHash: archived.header.hash(using: suite),
            commitCertificate: Canonical.encode(archived.certificate),
            signers: archived.certificate.commits.map(\.signer.index))
    }

    func block(hash: Digest) async throws(NodeBackendError) -> StoredBlock? {
        let height: UInt64?
        do { height = try BlockArchive(reader: ledger.store).height(ofHash: hash) } catch { throw .unavailable("\(error)") }
        guard let height else { return nil }
        return try await block(at: Height(height))
    }

    func withQueries<T: Sendable>(
        _ body: @Sendable (LedgerQueries) throws(LedgerError) -> T
    ) async throws(NodeBackendError) -> T {
        try withSnapshot(body)
    }

    func withCertifiedQueries<T: Sendable>(
        minHeight: UInt64, waitMillis: UInt64, _ body: @Sendable (LedgerQueries) throws(LedgerError) -> T
    ) async throws(NodeBackendError) -> (value: T, certified: CertifiedBlock) {
        let answer = try await poll(waitMillis: waitMillis) { () throws(NodeBackendError) -> (value: T, certified: CertifiedBlock)? in
            guard let latest = certified.latest, latest.header.height.value >= minHeight else { return nil }
            let value: T
            do { value = try body(latest.queries) } catch { throw .ledger("\(error)") }
            return (value, CertifiedBlock(header: latest.header, certificate: Canonical.encode(latest.certificate)))
        }
        if let answer { return answer }
        let have = certified.latest.map { "the newest certified block is \($0.header.height)" }
            ?? "no block has been certified since this node started"
        throw .unavailable("no certified state at height \(minHeight) or above yet (\(have))")
    }

    private func withSnapshot<T>(_ body: (LedgerQueries) throws(LedgerError) -> T) throws(NodeBackendError) -> T {
        let queries: LedgerQueries
        do { queries = try ledger.queries() } catch { throw .unavailable("\(error)") }
        defer { queries.close() }
        do { return try body(queries) } catch { throw .ledger("\(error)") }
    }
}

/// Counts receipt requests that are waiting for a commit.
final class WaiterCount: Sendable {
    private let count = Mutex(0)

    /// False (and not counted) when `limit` are already waiting.
    func enter(limit: Int) -> Bool {
        count.withLock { value in
            guard value < limit else { return false }
            value += 1
            return true
        }
    }

    func leave() { count.withLock { $0 -= 1 } }
}

enum DriverClock {
    static func nowMillis() -> UInt64 { NodeDriver.nowMillis() }
}
