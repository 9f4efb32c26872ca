/// A licence as the chain keeps it (digests and status, never personal data),
/// with its type's and issuer's names from the catalogue and bureau set.
public struct LicenceView: Codable, Sendable, Hashable {
    public struct TypeView: Codable, Sendable, Hashable {
        public let code: String
        /// Omitted if the catalogue no longer lists the code (it never should).
        public let nameZh: String?
        public let nameEn: String?
        public let holderKind: String?

        public init(code: String, nameZh: String?, nameEn: String?, holderKind: String?) {
            self.code = code
            self.nameZh = nameZh
            self.nameEn = nameEn
            self.holderKind = holderKind
        }
    }

    public struct IssuerView: Codable, Sendable, Hashable {
        public let id: String
        /// Omitted once the bureau has been removed from the bureau set.
        public let nameZh: String?
        public let nameEn: String?

        public init(id: String, nameZh: String?, nameEn: String?) {
            self.id = id
            self.nameZh = nameZh
            self.nameEn = nameEn
        }
    }

    public let id: String
    public let type: TypeView
    public let issuer: IssuerView
    public let holderKey: String
    public let holderCommitment: String
    public let documentDigest: String
    public let validFromMillis: UInt64
    /// Omitted for a long-term (长期) licence.
    public let validUntilMillis: UInt64?
    public let longTerm: Bool
    /// `active`, `suspended`, `revoked` or `superseded`.
    public let status: String
    public let supersedes: String?
    public let supersededBy: String?
    public let issuedAtHeight: UInt64
    public let updatedAtHeight: UInt64

    public init(
        id: String, type: TypeView, issuer: IssuerView, holderKey: String, holderCommitment: String,
        documentDigest: String, validFromMillis: UInt64, validUntilMillis: UInt64?, longTerm: Bool, status: String,
        supersedes: String?, supersededBy: String?, issuedAtHeight: UInt64, updatedAtHeight: UInt64
    ) {
        self.id = id
        self.type = type
        self.issuer = issuer
        self.holderKey = holderKey
        self.holderCommitment = holderCommitment
        self.documentDigest = documentDigest
        self.validFromMillis = validFromMillis
        self.validUntilMillis = validUntilMillis
        self.longTerm = longTerm
        self.status = status
        self.supersedes = supersedes
        self.supersededBy = supersededBy
        self.issuedAtHeight = issuedAtHeight
        self.updatedAtHeight = updatedAtHeight
    }
}

/// `GET /v1/holders/{holderKey}/licences`: a holder's licences, optionally of one type.
public struct HolderLicencesView: Codable, Sendable, Hashable {
    public let holder: String
    public let licences: [LicenceView]

    public init(holder: String, licences: [LicenceView]) {
        self.holder = holder
        self.licences = licences
    }
}

/// `POST /v1/verify`'s body: the licence by id, or the holder's key and a
/// type code; the checks to add (document digest, consent with office); and
/// optionally the time to judge validity at.
public struct VerifyBody: Codable, Sendable, Hashable {
    public let licence: String?
    public let holder: String?
    public let type: String?
    public let documentDigest: String?
    public let consent: String?
    public let office: String?
    public let atMillis: UInt64?

    public init(
        licence: String? = nil, holder: String? = nil, type: String? = nil, documentDigest: String? = nil,
        consent: String? = nil, office: String? = nil, atMillis: UInt64? = nil
    ) {
        self.licence = licence
        self.holder = holder
        self.type = type
        self.documentDigest = documentDigest
        self.consent = consent
        self.office = office
        self.atMillis = atMillis
    }
}

/// The counter check's answer: every check that was asked for, each with its
/// outcome, and `passed` only when all of them passed.
public struct VerdictView: Codable, Sendable, Hashable {
    public struct CheckView: Codable, Sendable, Hashable {
        public let name: String
        public let passed: Bool
        /// The reason code a transaction would have got; omitted when the check passed.
        public let code: String?
        public let detail: String

        public init(name: String, passed: Bool, code: String?, detail: String) {
            self.name = name
            self.passed = passed
            self.code = code
            self.detail = detail
        }
    }

    public let passed: Bool
    public let atMillis: UInt64
    public let height: UInt64
    public let licence: LicenceView?
    public let checks: [CheckView]

    public init(passed: Bool, atMillis: UInt64, height: UInt64, licence: LicenceView?, checks: [CheckView]) {
        self.passed = passed
        self.atMillis = atMillis
        self.height = height
        self.licence = licence
        self.checks = checks
    }
}
