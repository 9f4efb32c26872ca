/// Why a transaction was refused, as a stable code that clients can branch on.
///
/// The raw values are part of the protocol: they are written into receipts and
/// shown by the CLI and API, so a code is never renamed or reused.
public enum ReasonCode: String, Sendable, CaseIterable, Hashable {
    case ok = "OK"

    // Envelope
    case badSignature = "BAD_SIGNATURE"
    case wrongChain = "WRONG_CHAIN"
    case expired = "EXPIRED"
    case replay = "REPLAY"
    case unknownKind = "UNKNOWN_KIND"
    case malformedPayload = "MALFORMED_PAYLOAD"
    case invalidField = "INVALID_FIELD"

    // Roles and registry
    case notABureau = "NOT_A_BUREAU"
    case notAuthorisedToRegister = "NOT_AUTHORISED_TO_REGISTER"
    case notRegistrar = "NOT_REGISTRAR"
    case keyInUse = "KEY_IN_USE"
    case officeDuplicate = "OFFICE_DUPLICATE"
    case officeNotFound = "OFFICE_NOT_FOUND"
    case officeDisabled = "OFFICE_DISABLED"
    case taxpayerDuplicate = "TAXPAYER_DUPLICATE"
    case taxpayerNotFound = "TAXPAYER_NOT_FOUND"
    case taxpayerDisabled = "TAXPAYER_DISABLED"
    case auditorDuplicate = "AUDITOR_DUPLICATE"
    case auditorNotFound = "AUDITOR_NOT_FOUND"
    case alreadyDisabled = "ALREADY_DISABLED"
    case notKeyOwner = "NOT_KEY_OWNER"

    // Licences
    case unknownLicenceType = "UNKNOWN_LICENCE_TYPE"
    case notAuthorisedForLicenceType = "NOT_AUTHORISED_FOR_LICENCE_TYPE"
    case invalidValidityWindow = "INVALID_VALIDITY_WINDOW"
    case licenceNotFound = "LICENCE_NOT_FOUND"
    case notIssuer = "NOT_ISSUER"
    case licenceNotSuspended = "LICENCE_NOT_SUSPENDED"
    case licenceSuspended = "LICENCE_SUSPENDED"
    case licenceRevoked = "LICENCE_REVOKED"
    case licenceSuperseded = "LICENCE_SUPERSEDED"
    case licenceExpired = "LICENCE_EXPIRED"
    case licenceNotYetValid = "LICENCE_NOT_YET_VALID"

    // Consent
    case consentBadSignature = "CONSENT_BAD_SIGNATURE"
    case consentDuplicate = "CONSENT_DUPLICATE"
    case consentNotFound = "CONSENT_NOT_FOUND"
    case notLicenceHolder = "NOT_LICENCE_HOLDER"
    case notConsentHolder = "NOT_CONSENT_HOLDER"
    case consentExpired = "CONSENT_EXPIRED"
    case consentRevoked = "CONSENT_REVOKED"
    case consentWrongOffice = "CONSENT_WRONG_OFFICE"
    case consentUsedUp = "CONSENT_USED_UP"
    case licenceNotInConsent = "LICENCE_NOT_IN_CONSENT"

    // Invoices
    case invoiceDuplicate = "INVOICE_DUPLICATE"
    case invoiceNotFound = "INVOICE_NOT_FOUND"
    case notInvoiceSeller = "NOT_INVOICE_SELLER"
    case notInvoiceBuyer = "NOT_INVOICE_BUYER"
    case invoiceNotClaimable = "INVOICE_NOT_CLAIMABLE"
    case invoiceNotClaimed = "INVOICE_NOT_CLAIMED"
    case invoiceAlreadyReimbursed = "INVOICE_ALREADY_REIMBURSED"
    case invoiceReversed = "INVOICE_REVERSED"
    case invoiceNotReversible = "INVOICE_NOT_REVERSIBLE"
    case buyerNotFound = "BUYER_NOT_FOUND"

    // Governance
    case governanceStale = "GOVERNANCE_STALE"
    case governanceBadApproval = "GOVERNANCE_BAD_APPROVAL"
    case governanceQuorumNotMet = "GOVERNANCE_QUORUM_NOT_MET"
    case governanceTooFewBureaus = "GOVERNANCE_TOO_FEW_BUREAUS"
    case bureauDuplicate = "BUREAU_DUPLICATE"
    case bureauNotFound = "BUREAU_NOT_FOUND"

    /// Codes are bounded ASCII so a receipt's size stays bounded.
    public static let maxLength = 48
}
