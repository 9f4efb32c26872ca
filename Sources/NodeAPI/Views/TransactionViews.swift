import LedgerCore
import LedgerState

/// One submission's outcome. `status` is always present; `txid` when the
/// node admitted or already had the transaction; `code` and `message` when it
/// refused it; `retryAfterSeconds` when the mempool was full.
struct SubmitResultView: Encodable, Sendable {
    let status: String
    let txid: String?
    let code: String?
    let message: String?
    let retryAfterSeconds: Int?

    init(_ outcome: SubmitOutcome) {
        switch outcome {
        case let .accepted(id):
            (status, txid, code, message, retryAfterSeconds) = ("accepted", id.hex, nil, nil, nil)
        case let .known(id):
            (status, txid, code, message, retryAfterSeconds) = ("known", id.hex, nil, nil, nil)
        case let .rejected(reason, text):
            (status, txid, code, message, retryAfterSeconds) = ("rejected", nil, reason, text, nil)
        case let .full(seconds):
            (status, txid, code, message, retryAfterSeconds) = (
                "full", nil, APIErrorCode.mempoolFull, "the mempool is full; retry after \(seconds) s", max(seconds, 1)
            )
        }
    }
}

struct BatchResultView: Encodable, Sendable {
    let results: [SubmitResultView]
}

/// A committed transaction's receipt. `code` is the ledger's stable reason
/// code (`OK` when accepted); `message` is prose.
struct ReceiptView: Encodable, Sendable {
    let txid: String
    let height: UInt64
    let index: UInt64
    let kind: UInt16
    /// The kind's name (`issueLicence`, …), omitted for a kind this node does not know.
    let kindName: String?
    let sender: String
    let code: String
    let message: String
    let accepted: Bool

    init(_ receipt: Receipt) {
        txid = receipt.transaction.hex
        height = receipt.height.value
        index = receipt.index
        kind = receipt.kind
        kindName = TransactionKind(rawValue: receipt.kind).map { "\($0)" }
        sender = receipt.sender.hex
        code = receipt.code.rawValue
        message = receipt.message
        accepted = receipt.accepted
    }
}

struct PendingView: Encodable, Sendable {
    let status = "pending"
    let txid: String
}
