import ChaosKit
import CivicClient
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPIModel
import Synchronization

/// Submits a signed transaction to the devnet the way a careful client of a
/// faulty cluster would: to one node, to the next when that one does not
/// answer, again every few seconds until some node reports the receipt. A
/// transaction counts as acknowledged only when a node returns its receipt.
final class ClusterSender: Sendable {
    enum Outcome: Sendable {
        case acknowledged(ReceiptView, node: Int)
        case unacknowledged(txid: String)
    }

    let clients: [Int: NodeClient]
    let chain: ChainParameters
    /// The newest height seen, for expiry heights.
    let height: Mutex<UInt64>
    /// How long one transaction is chased before it is left unacknowledged.
    let patience: Duration
    static let resubmitEvery: Duration = .seconds(4)

    init(clients: [Int: NodeClient], chain: ChainParameters, height: UInt64, patience: Duration) {
        self.clients = clients
        self.chain = chain
        self.height = Mutex(height)
        self.patience = patience
    }

    func sign(_ operation: LedgerOperation, by key: PrivateKey) throws -> SignedTransaction {
        // Ten thousand blocks: no fault here lasts that long, so a campaign
        // transaction never expires while it is chased.
        let expiry = height.withLock { $0 } + 10_000
        return try operation.signed(by: key, chain: chain, nonce: UInt64.random(in: .min ... .max), expiryHeight: Height(expiry))
    }

    func observe(height seen: UInt64) {
        height.withLock { $0 = max($0, seen) }
    }

    func commit(_ transaction: SignedTransaction, preferring first: Int) async -> Outcome {
        let txid = transaction.transaction.id(using: chain.suite).description
        let clock = ContinuousClock()
        let deadline = clock.now + patience
        var node = first
        var lastSubmit: ContinuousClock.Instant?
        var admitted = false
        // Bounded by the deadline; every pass waits at most about a second.
        while clock.now < deadline {
            guard let client = clients[node] else { return .unacknowledged(txid: txid) }
            if !admitted || lastSubmit.map({ clock.now - $0 >= Self.resubmitEvery }) ?? true {
                lastSubmit = clock.now
                do throws(ClientError) {
                    switch try await client.submit(transaction) {
                    case .admitted: admitted = true
                    case .full: break
                    }
                } catch {
                    // Refused as known (a replay of a committed id) or not
                    // answered: either way, ask for the receipt.
                }
            }
            do throws(ClientError) {
                if case let .committed(receipt) = try await client.receipt(txid: txid, waitMillis: 700) {
                    observe(height: receipt.height)
                    return .acknowledged(receipt, node: node)
                }
            } catch {
                try? await Task.sleep(for: .milliseconds(100))
            }
            node = node % clients.count + 1
        }
        return .unacknowledged(txid: txid)
    }
}

/// Everything the load learnt: what was acknowledged (the audit's input), what
/// was given up on, and which invoices had competing reimbursements.
actor Ledgerbook {
    private(set) var acknowledged: [Acknowledged] = []
    private(set) var unacknowledged: [String] = []
    private(set) var submitted = 0
    private(set) var invoices: [InvoiceID] = []
    private(set) var reimbursementPairs = 0
    private(set) var pairsWithOneAccepted = 0
    private(set) var shed = 0

    func record(_ outcome: ClusterSender.Outcome, invoice: InvoiceID? = nil) -> ReceiptView? {
        submitted += 1
        switch outcome {
        case let .acknowledged(receipt, _):
            acknowledged.append(Acknowledged(
                txid: receipt.txid, code: receipt.code, kind: receipt.kindName ?? "kind \(receipt.kind)",
                invoice: invoice?.description))
            return receipt
        case let .unacknowledged(txid):
            unacknowledged.append(txid)
            return nil
        }
    }

    func invoiceIssued(_ id: InvoiceID) { invoices.append(id) }

    func reimbursementPair(accepted: Int, bothAcknowledged: Bool) {
        reimbursementPairs += 1
        if bothAcknowledged && accepted == 1 { pairsWithOneAccepted += 1 }
    }

    func shedOne() { shed += 1 }
}
