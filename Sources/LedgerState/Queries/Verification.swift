import LedgerCore

/// What a counter (窗口) asks the chain about a licence in front of it.
public struct VerificationRequest: Sendable, Hashable {
    public enum Subject: Sendable, Hashable {
        case licence(LicenceID)
        /// The holder's current licence of this type (the newest active one,
        /// else the newest of any status, so the refusal explains itself).
        case holder(PublicKeyBytes, LicenceTypeCode)
    }

    public let subject: Subject
    /// Digest of the document the counter holds (e.g. the e-licence file); nil skips the check.
    public let presentedDigest: Digest?
    /// The grant the holder signed, and the office asking; nil skips the consent checks.
    public let consent: ConsentID?
    public let office: OfficeID?
    /// The time to judge validity at; nil means the last block's time.
    public let atMillis: UInt64?

    public init(subject: Subject, presentedDigest: Digest?, consent: ConsentID?, office: OfficeID?, atMillis: UInt64? = nil) {
        self.subject = subject
        self.presentedDigest = presentedDigest
        self.consent = consent
        self.office = office
        self.atMillis = atMillis
    }
}

/// The answer: each check with its outcome, and the licence it concerned.
public struct Verdict: Sendable, Hashable {
    public enum CheckName: String, Sendable, CaseIterable {
        case licenceFound = "licence-found"
        case issuerAuthorised = "issuer-authorised"
        case status = "status"
        case validityWindow = "validity-window"
        case documentDigest = "document-digest"
        case consentValid = "consent-valid"
        case usesLeft = "uses-left"
    }

    public struct Check: Sendable, Hashable {
        public let name: CheckName
        public let passed: Bool
        /// Set when the check failed: the code a transaction would have got.
        public let code: ReasonCode?
        public let detail: String
    }

    public let licence: LicenceRecord?
    public let atMillis: UInt64
    public let height: Height
    public let checks: [Check]

    /// True only when every check that was asked for passed.
    public var passed: Bool { !checks.isEmpty && checks.allSatisfy(\.passed) }
}
