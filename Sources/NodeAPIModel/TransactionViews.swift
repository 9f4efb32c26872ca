/// `POST /v1/transactions`'s body: a signed transaction as hex of its canonical DER.
public struct SubmitBody: Codable, Sendable, Hashable {
    public let transaction: String

    public init(transaction: String) { self.transaction = transaction }
}

/// `POST /v1/transactions/batch`'s body.
public struct BatchBody: Codable, Sendable, Hashable {
    public let transactions: [String]

    public init(transactions: [String]) { self.transactions = transactions }
}

/// One submission's outcome. `status` is always present (`accepted`, `known`,
/// `rejected`, `full`); `txid` when the node admitted or already had the
/// transaction; `code` and `message` when it refused it; `retryAfterSeconds`
/// when the mempool was full.
public struct SubmitResultView: Codable, Sendable, Hashable {
    public let status: String
    public let txid: String?
    public let code: String?
    public let message: String?
    public let retryAfterSeconds: Int?

    public init(status: String, txid: String?, code: String?, message: String?, retryAfterSeconds: Int?) {
        self.status = status
        self.txid = txid
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
    }
}

public struct BatchResultView: Codable, Sendable, Hashable {
    public let results: [SubmitResultView]

    public init(results: [SubmitResultView]) { self.results = results }
}

/// A committed transaction's receipt. `code` is the ledger's stable reason
/// code (`OK` when accepted); `message` is prose.
public struct ReceiptView: Codable, Sendable, Hashable {
    public let txid: String
    public let height: UInt64
    public let index: UInt64
    public let kind: UInt16
    /// The kind's name (`issueLicence`, …), omitted for a kind this node does not know.
    public let kindName: String?
    public let sender: String
    public let code: String
    public let message: String
    public let accepted: Bool
    /// What the transaction acted on (`invoice 1234567890-12345678`, `consent <id>`,
    /// `licence <id>`, `office <id>`, …). Given where the node has the transaction
    /// at hand (a block's receipts); omitted otherwise, and always for consent
    /// grants and revocations, which would tie a holder to their grant's uses.
    public let subject: String?

    public init(
        txid: String, height: UInt64, index: UInt64, kind: UInt16, kindName: String?, sender: String, code: String,
        message: String, accepted: Bool, subject: String? = nil
    ) {
        self.txid = txid
        self.height = height
        self.index = index
        self.kind = kind
        self.kindName = kindName
        self.sender = sender
        self.code = code
        self.message = message
        self.accepted = accepted
        self.subject = subject
    }
}

/// A receipt lookup that found the transaction in the mempool, not yet committed.
public struct PendingView: Codable, Sendable, Hashable {
    public let status: String
    public let txid: String

    public init(txid: String) {
        self.status = "pending"
        self.txid = txid
    }
}

/// Every refusal: a stable `code` and one line of prose.
public struct ErrorBody: Codable, Sendable, Hashable {
    public let code: String
    public let message: String

    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }
}
