import LedgerCore
import LedgerState
import NodeAPIModel

extension SubmitResultView {
    init(_ outcome: SubmitOutcome) {
        switch outcome {
        case let .accepted(id):
            self.init(status: "accepted", txid: id.hex, code: nil, message: nil, retryAfterSeconds: nil)
        case let .known(id):
            self.init(status: "known", txid: id.hex, code: nil, message: nil, retryAfterSeconds: nil)
        case let .rejected(reason, text):
            self.init(status: "rejected", txid: nil, code: reason, message: text, retryAfterSeconds: nil)
        case let .full(seconds):
            self.init(
                status: "full", txid: nil, code: APIErrorCode.mempoolFull,
                message: "the mempool is full; retry after \(seconds) s", retryAfterSeconds: max(seconds, 1))
        }
    }
}

extension ReceiptView {
    init(_ receipt: Receipt, subject: String? = nil) {
        self.init(
            txid: receipt.transaction.hex, height: receipt.height.value, index: receipt.index, kind: receipt.kind,
            kindName: TransactionKind(rawValue: receipt.kind).map { "\($0)" }, sender: receipt.sender.hex,
            code: receipt.code.rawValue, message: receipt.message, accepted: receipt.accepted, subject: subject)
    }
}

extension LedgerOperation {
    /// What the operation acts on, as `ReceiptView.subject` shows it. Grants and
    /// revocations are sent by the holder's key, so naming their grant would tie
    /// the holder to the grant's uses: the access log only the holder may read.
    /// They have no subject; a use names its grant (its sender is the office).
    var subject: String? {
        switch self {
        case let .register(registration): return registration.subject.description
        case let .disable(disablement): return disablement.subject.description
        case let .rotateKey(rotation): return "key of \(rotation.subject)"
        case let .issueLicence(issue): return "licence of type \(issue.licenceType.value)"
        case let .suspendLicence(change), let .reinstateLicence(change), let .revokeLicence(change):
            return "licence \(change.licence.hex)"
        case let .supersedeLicence(supersession): return "licence \(supersession.old.hex)"
        case .grantConsent, .revokeConsent: return nil
        case let .useConsent(action): return "consent \(action.consent.hex)"
        case let .issueInvoice(issue): return "invoice \(issue.invoice)"
        case let .claimInvoice(action), let .reimburseInvoice(action), let .reverseInvoice(action):
            return "invoice \(action.invoice)"
        case .governance: return "bureau set"
        }
    }
}
