import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPIModel

/// The chain a node serves, as a transaction needs it: id, suite and height.
public struct ChainContext: Sendable {
    public let parameters: ChainParameters
    public let height: UInt64
    public let blockTimeMillis: UInt64

    public init(_ status: StatusView) throws(ClientError) {
        guard let chainID = ChainID(status.chainID) else { throw .badResponse("chain id \"\(status.chainID)\" is not valid") }
        guard let suite = SuiteID(rawValue: status.suite) else { throw .badResponse("unknown crypto suite \"\(status.suite)\"") }
        parameters = ChainParameters(chainID: chainID, suite: CryptoSuites.suite(suite))
        height = status.height
        blockTimeMillis = status.blockTimeMillis
    }

    public init(parameters: ChainParameters, height: UInt64, blockTimeMillis: UInt64) {
        self.parameters = parameters
        self.height = height
        self.blockTimeMillis = blockTimeMillis
    }

    public var suite: any CryptoSuite { parameters.suite }
}

/// A transaction the node committed, with its receipt (accepted or refused).
public struct CommittedTransaction: Sendable, Hashable {
    public let txid: String
    public let receipt: ReceiptView
}

/// Signs an operation, submits it and waits for its receipt: what every
/// writing command of `civic` does.
public struct TransactionSender: Sendable {
    public let client: NodeClient
    /// How many blocks past the current height the transaction stays valid
    /// (its replay window; see docs/ledger.md).
    public var expiryBlocks: UInt64
    /// How long to wait for the commit before giving up with `notCommitted`.
    public var wait: Duration

    public init(client: NodeClient, expiryBlocks: UInt64 = 1_000, wait: Duration = .seconds(60)) {
        self.client = client
        self.expiryBlocks = expiryBlocks
        self.wait = wait
    }

    public func chain() async throws(ClientError) -> ChainContext {
        try ChainContext(try await client.status())
    }

    /// Signs `operation` with `key` for `chain`, with a random envelope nonce.
    public func sign(_ operation: LedgerOperation, key: PrivateKey, chain: ChainContext) throws(ClientError) -> SignedTransaction {
        let expiry = chain.height.addingReportingOverflow(expiryBlocks)
        do {
            return try operation.signed(
                by: key, chain: chain.parameters, nonce: UInt64.random(in: .min ... .max),
                expiryHeight: Height(expiry.overflow ? .max : expiry.partialValue))
        } catch {
            throw .badInput("cannot sign the transaction: \(error)")
        }
    }

    /// Submits and waits. `progress` is called about every half second while
    /// waiting, with the time waited so far.
    public func send(
        _ transaction: SignedTransaction, progress: (@Sendable (Duration) -> Void)? = nil
    ) async throws(ClientError) -> CommittedTransaction {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + wait
        let txid = try await submit(transaction, until: deadline, clock: clock)
        // Bounded by the deadline: each pass waits at most half a second at the node.
        while true {
            let remaining = deadline - clock.now
            guard remaining > .zero else { throw .notCommitted(txid: txid, waitedMillis: Self.millis(wait)) }
            let slice = min(remaining, .milliseconds(500))
            switch try await client.receipt(txid: txid, waitMillis: Self.millis(slice)) {
            case let .committed(receipt):
                return CommittedTransaction(txid: txid, receipt: receipt)
            case .pending, .unknown:
                // `unknown` right after admission means another node answered, or the
                // mempool dropped it; keep asking until the deadline says otherwise.
                try? await Task.sleep(for: .milliseconds(50))
            }
            progress?(clock.now - start)
        }
    }

    private func submit(
        _ transaction: SignedTransaction, until deadline: ContinuousClock.Instant, clock: ContinuousClock
    ) async throws(ClientError) -> String {
        // Bounded by the deadline: a full mempool is retried after the node's Retry-After.
        while true {
            switch try await client.submit(transaction) {
            case let .admitted(txid):
                return txid
            case let .full(seconds):
                let pause = Duration.seconds(seconds)
                guard clock.now + pause < deadline else {
                    throw .refused(status: 503, code: "MEMPOOL_FULL", message: "the node's mempool stayed full; try again later")
                }
                try? await Task.sleep(for: pause)
            }
        }
    }

    static func millis(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        return UInt64(max(0, seconds)) * 1000 + UInt64(max(0, attoseconds)) / 1_000_000_000_000_000
    }
}
