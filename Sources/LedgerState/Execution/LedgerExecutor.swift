import LedgerCore
import LedgerCrypto
import LedgerStore
import StateTree

/// Whether `execute` checks signatures itself.
///
/// Every replica must make the same choice for a given block, or they
/// diverge on a block holding a bad signature: `.alreadyVerified` is only
/// correct when the caller checked exactly this block's bytes (each envelope
/// and each consent grant), not merely similar transactions in its mempool.
public enum SignaturePolicy: Sendable {
    /// Check every signature a transaction carries (envelope and consent grant).
    case verify
    /// The caller verified every envelope and consent-grant signature of this
    /// block already. Governance approvals are always checked: they depend on state.
    case alreadyVerified
}

/// The outcome of executing one block, not yet written: the receipts, the new
/// state root, and the single batch that makes it durable.
public struct BlockExecution: Sendable {
    public let receipts: [Receipt]
    public let head: ChainHead
    public let batch: WriteBatch

    public var stateRoot: Digest { head.stateRoot }
}

/// The deterministic state machine: `execute(block, state) -> (receipts, root)`.
///
/// Pure with respect to its input: it reads the given snapshot and returns a
/// batch, never writing; the same block on the same state gives the same
/// receipts, root and batch (operations in the same order) on every replica.
public struct LedgerExecutor: Sendable {
    public let chain: ChainParameters
    let tree: StateTree

    /// Stands in as the sender until the first transaction sets it.
    private static let noSender = PublicKeyBytes([0x02] + [UInt8](repeating: 0, count: 32))!

    /// Tree nodes kept decoded across blocks (about 200 bytes each): the
    /// upper levels, which every block rewrites, and the nodes of recent
    /// blocks. Found by hash, so they never change a root or a batch.
    static let cachedTreeNodes = 1 << 18

    public init(chain: ChainParameters) {
        self.chain = chain
        self.tree = StateTree(columnFamily: LedgerColumns.tree, hash: chain.suite, cachedNodes: Self.cachedTreeNodes)
    }

    public func execute(
        _ block: Block, on reader: some KeyValueReader, signatures: SignaturePolicy
    ) throws(LedgerError) -> BlockExecution {
        let head = try LedgerReads.head(in: reader)
        let header = block.header
        try checkHeader(header, extends: head)
        // Each transaction was encoded once, by the block: the encodings are
        // the Merkle leaves, and each holds its unsigned transaction's
        // encoding (the id) as a slice.
        let encodings = block.transactionLeaves
        try checkTransactionsRoot(header, leaves: encodings)

        var context = TransactionContext(
            overlay: StateOverlay(base: reader, expectedWrites: 4 * block.transactions.count), chain: chain, sender: Self.noSender,
            transaction: TxID(.zero), height: header.height, timeMillis: header.timestampMillis,
            checkEmbeddedSignatures: signatures == .verify)
        var receipts: [Receipt] = []
        receipts.reserveCapacity(block.transactions.count)
        // A receipt with no message is its own message-less state form, so
        // the encoding the state took serves the receipts column too.
        var receiptEncodings: [[UInt8]?] = []
        receiptEncodings.reserveCapacity(block.transactions.count)
        for (index, signed) in block.transactions.enumerated() {
            let (receipt, stateEncoding) = try apply(
                signed, encoded: encodings[index], index: UInt64(index), signatures: signatures, in: &context)
            receipts.append(receipt)
            receiptEncodings.append(receipt.message.isEmpty ? stateEncoding : nil)
        }

        var batch = WriteBatch()
        let root: Digest
        do {
            root = try tree.update(context.overlay.state, reader: reader, batch: &batch)
        } catch {
            throw .fault(.tree("\(error)"))
        }
        // Sorted, so the batch itself is the same on every replica, not only
        // what it leaves in the store: it may later be hashed or shipped.
        // State, index, receipts and the head.
        batch.reserveCapacity(batch.count + context.overlay.writeCount + receipts.count + 1)
        context.overlay.appendWrites(to: &batch)
        for (receipt, encoding) in zip(receipts, receiptEncodings) {
            batch.put(
                ReceiptKey.at(header.height, receipt.index), encoding ?? Canonical.encode(receipt), in: LedgerColumns.receipts)
        }
        let newHead = ChainHead(
            height: header.height, blockHash: header.hash(using: chain.suite), stateRoot: root,
            timeMillis: header.timestampMillis)
        batch.put(MetaKey.head, Canonical.encode(newHead), in: LedgerColumns.meta)
        return BlockExecution(receipts: receipts, head: newHead, batch: batch)
    }

    private func checkHeader(_ header: BlockHeader, extends head: ChainHead) throws(LedgerError) {
        guard header.chainID == chain.chainID else {
            throw .block(.wrongChain(expected: chain.chainID, found: header.chainID))
        }
        guard let next = head.height.next, header.height == next else {
            throw .block(.wrongHeight(expected: head.height.next ?? head.height, found: header.height))
        }
        guard header.previousHash == head.blockHash else {
            throw .block(.wrongParent(expected: head.blockHash, found: header.previousHash))
        }
        guard header.stateRoot == head.stateRoot else {
            throw .block(.wrongStateRoot(expected: head.stateRoot, found: header.stateRoot))
        }
        guard header.timestampMillis >= head.timeMillis else {
            throw .block(.timeWentBack(previous: head.timeMillis, found: header.timestampMillis))
        }
    }

    /// `leaves` are the block's `transactionLeaves`, encoded once by the block.
    private func checkTransactionsRoot(_ header: BlockHeader, leaves: [[UInt8]]) throws(LedgerError) {
        let transactionsRoot = MerkleTree(leaves: leaves, hash: chain.suite).root
        guard header.transactionsRoot == transactionsRoot else {
            throw .block(.wrongTransactionsRoot(expected: transactionsRoot, found: header.transactionsRoot))
        }
    }

    /// One transaction: envelope checks, then its rule. A refusal rolls back
    /// everything the rule wrote; only the receipt remains. Returns the
    /// receipt and the encoding of its message-less form written to the
    /// state, if one was.
    private func apply(
        _ signed: SignedTransaction, encoded signedEncoding: [UInt8], index: UInt64, signatures: SignaturePolicy,
        in context: inout TransactionContext
    ) throws(LedgerError) -> (Receipt, [UInt8]?) {
        let transaction = signed.transaction
        // One encoding serves both the id and the signed message; it is the
        // slice of the signed transaction's encoding (the Merkle leaf).
        let encoded = Array(SignedTransaction.transactionEncoding(in: signedEncoding))
        let id = TxID(chain.suite.digest(encoded))
        func receipt(_ code: ReasonCode, _ message: String) -> Receipt {
            Receipt(
                transaction: id, height: context.height, index: index, kind: transaction.kind,
                sender: transaction.sender, code: code, message: message)
        }

        // Replay protection is the transaction id plus its expiry height: a
        // signed transaction executes at most once (its receipt stays in the
        // state forever) and never after its expiry. There is no sequential
        // per-sender nonce, so a refused transaction changes nothing but its
        // receipt and does not hold up the sender's later transactions.
        //
        // A bad signature proves nothing about the sender, so it must not burn
        // the transaction id: that would let anyone block a pending
        // transaction by resubmitting it with garbage in place of the signature.
        if signatures == .verify, !context.verify(
            signature: signed.signature, message: SigningDomain.transaction.message(for: encoded), by: transaction.sender)
        {
            return (receipt(.badSignature, "the signature does not verify for sender \(transaction.sender.hex)"), nil)
        }
        let receiptKey = StateKey.receipt(id)
        let earlier: Receipt?
        do { earlier = try context.overlay.record(Receipt.self, at: receiptKey) } catch { throw .fault(error) }
        if let earlier {
            return (receipt(.replay, "transaction \(id) was already executed at height \(earlier.height) (\(earlier.code.rawValue))"), nil)
        }

        context.sender = transaction.sender
        context.transaction = id
        let outcome: Receipt
        do throws(RuleFailure) {
            try checkEnvelope(transaction, in: context)
            let operation: LedgerOperation
            do {
                operation = try LedgerOperation.decode(kind: transaction.kind, payload: transaction.payload)
            } catch let .unknownKind(kind) {
                throw RuleFailure.refuse(.unknownKind, "unknown transaction kind \(kind)")
            } catch {
                throw RuleFailure.refuse(.malformedPayload, "\(error)")
            }
            try LedgerRules.apply(operation, in: &context)
            outcome = receipt(.ok, "")
        } catch {
            switch error {
            case let .refused(refusal):
                context.overlay.rollbackTransaction()
                outcome = receipt(refusal.code, refusal.message)
            case let .fault(fault):
                throw .fault(fault)
            }
        }
        // The state keeps the structured outcome only: messages are prose that
        // may be reworded between releases, which must not change the root.
        // The full receipt, message included, goes to the receipts column.
        let stateEncoding = context.overlay.put(outcome.withoutMessage, at: receiptKey)
        context.overlay.commitTransaction()
        return (outcome, stateEncoding)
    }

    private func checkEnvelope(_ transaction: Transaction, in context: TransactionContext) throws(RuleFailure) {
        guard transaction.chainID == chain.chainID else {
            throw .refuse(.wrongChain, "the transaction is for chain \(transaction.chainID), this is \(chain.chainID)")
        }
        guard transaction.expiryHeight >= context.height else {
            throw .refuse(.expired, "the transaction expired at height \(transaction.expiryHeight)")
        }
    }
}

/// Routes each operation to the rules of its domain.
enum LedgerRules {
    static func apply(_ operation: LedgerOperation, in context: inout TransactionContext) throws(RuleFailure) {
        switch operation {
        case let .register(p): try RegistryRules.register(p, in: &context)
        case let .disable(p): try RegistryRules.disable(p, in: &context)
        case let .rotateKey(p): try RegistryRules.rotate(p, in: &context)
        case let .issueLicence(p): try LicenceRules.issue(p, in: &context)
        case let .suspendLicence(p): try LicenceRules.suspend(p, in: &context)
        case let .reinstateLicence(p): try LicenceRules.reinstate(p, in: &context)
        case let .revokeLicence(p): try LicenceRules.revoke(p, in: &context)
        case let .supersedeLicence(p): try LicenceRules.supersede(p, in: &context)
        case let .grantConsent(p): try ConsentRules.grant(p, in: &context)
        case let .revokeConsent(p): try ConsentRules.revoke(p, in: &context)
        case let .useConsent(p): try ConsentRules.use(p, in: &context)
        case let .issueInvoice(p): try InvoiceRules.issue(p, in: &context)
        case let .claimInvoice(p): try InvoiceRules.claim(p, in: &context)
        case let .reimburseInvoice(p): try InvoiceRules.reimburse(p, in: &context)
        case let .reverseInvoice(p): try InvoiceRules.reverse(p, in: &context)
        case let .governance(p): try GovernanceRules.apply(p, in: &context)
        }
    }
}
