import LedgerCore

/// The `kind` numbers of the transaction envelope. Part of the protocol:
/// never renumbered, never reused.
public enum TransactionKind: UInt16, Sendable, CaseIterable {
    case register = 1
    case disable = 2
    case rotateKey = 3
    case issueLicence = 20
    case suspendLicence = 21
    case reinstateLicence = 22
    case revokeLicence = 23
    case supersedeLicence = 24
    case grantConsent = 40
    case revokeConsent = 41
    case useConsent = 42
    case issueInvoice = 60
    case claimInvoice = 61
    case reimburseInvoice = 62
    case reverseInvoice = 63
    case governance = 80
}

/// A decoded transaction payload: what the sender asks the ledger to do.
public enum LedgerOperation: Hashable, Sendable {
    case register(Registration)
    case disable(Disablement)
    case rotateKey(KeyRotation)
    case issueLicence(LicenceIssue)
    case suspendLicence(LicenceStatusChange)
    case reinstateLicence(LicenceStatusChange)
    case revokeLicence(LicenceStatusChange)
    case supersedeLicence(LicenceSupersession)
    case grantConsent(SignedConsentGrant)
    case revokeConsent(ConsentAction)
    case useConsent(ConsentAction)
    case issueInvoice(InvoiceIssue)
    case claimInvoice(InvoiceAction)
    case reimburseInvoice(InvoiceAction)
    case reverseInvoice(InvoiceAction)
    case governance(ApprovedGovernanceChange)

    public var kind: TransactionKind {
        switch self {
        case .register: return .register
        case .disable: return .disable
        case .rotateKey: return .rotateKey
        case .issueLicence: return .issueLicence
        case .suspendLicence: return .suspendLicence
        case .reinstateLicence: return .reinstateLicence
        case .revokeLicence: return .revokeLicence
        case .supersedeLicence: return .supersedeLicence
        case .grantConsent: return .grantConsent
        case .revokeConsent: return .revokeConsent
        case .useConsent: return .useConsent
        case .issueInvoice: return .issueInvoice
        case .claimInvoice: return .claimInvoice
        case .reimburseInvoice: return .reimburseInvoice
        case .reverseInvoice: return .reverseInvoice
        case .governance: return .governance
        }
    }

    /// The canonical payload bytes for the transaction envelope.
    public var payload: [UInt8] {
        switch self {
        case let .register(p): return Canonical.encode(p)
        case let .disable(p): return Canonical.encode(p)
        case let .rotateKey(p): return Canonical.encode(p)
        case let .issueLicence(p): return Canonical.encode(p)
        case let .suspendLicence(p), let .reinstateLicence(p), let .revokeLicence(p): return Canonical.encode(p)
        case let .supersedeLicence(p): return Canonical.encode(p)
        case let .grantConsent(p): return Canonical.encode(p)
        case let .revokeConsent(p), let .useConsent(p): return Canonical.encode(p)
        case let .issueInvoice(p): return Canonical.encode(p)
        case let .claimInvoice(p), let .reimburseInvoice(p), let .reverseInvoice(p): return Canonical.encode(p)
        case let .governance(p): return Canonical.encode(p)
        }
    }

    /// Decodes the payload of an envelope; total, with typed errors.
    public static func decode(kind rawKind: UInt16, payload: [UInt8]) throws(OperationDecodingError) -> LedgerOperation {
        guard let kind = TransactionKind(rawValue: rawKind) else { throw .unknownKind(rawKind) }
        do {
            switch kind {
            case .register: return .register(try Canonical.decode(Registration.self, from: payload))
            case .disable: return .disable(try Canonical.decode(Disablement.self, from: payload))
            case .rotateKey: return .rotateKey(try Canonical.decode(KeyRotation.self, from: payload))
            case .issueLicence: return .issueLicence(try Canonical.decode(LicenceIssue.self, from: payload))
            case .suspendLicence: return .suspendLicence(try Canonical.decode(LicenceStatusChange.self, from: payload))
            case .reinstateLicence: return .reinstateLicence(try Canonical.decode(LicenceStatusChange.self, from: payload))
            case .revokeLicence: return .revokeLicence(try Canonical.decode(LicenceStatusChange.self, from: payload))
            case .supersedeLicence: return .supersedeLicence(try Canonical.decode(LicenceSupersession.self, from: payload))
            case .grantConsent: return .grantConsent(try Canonical.decode(SignedConsentGrant.self, from: payload))
            case .revokeConsent: return .revokeConsent(try Canonical.decode(ConsentAction.self, from: payload))
            case .useConsent: return .useConsent(try Canonical.decode(ConsentAction.self, from: payload))
            case .issueInvoice: return .issueInvoice(try Canonical.decode(InvoiceIssue.self, from: payload))
            case .claimInvoice: return .claimInvoice(try Canonical.decode(InvoiceAction.self, from: payload))
            case .reimburseInvoice: return .reimburseInvoice(try Canonical.decode(InvoiceAction.self, from: payload))
            case .reverseInvoice: return .reverseInvoice(try Canonical.decode(InvoiceAction.self, from: payload))
            case .governance: return .governance(try Canonical.decode(ApprovedGovernanceChange.self, from: payload))
            }
        } catch {
            throw .malformed(kind: kind, error)
        }
    }
}

public enum OperationDecodingError: Error, Equatable, CustomStringConvertible {
    case unknownKind(UInt16)
    case malformed(kind: TransactionKind, CanonicalError)

    public var description: String {
        switch self {
        case let .unknownKind(kind): return "unknown transaction kind \(kind)"
        case let .malformed(kind, error): return "payload of \(kind): \(error)"
        }
    }
}
