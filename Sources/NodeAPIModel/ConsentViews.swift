/// A consent grant (扫码授权) and how much of it is left.
public struct ConsentView: Codable, Sendable, Hashable {
    public let id: String
    public let holder: String
    public let licences: [String]
    public let office: String
    public let purpose: String
    public let notAfterMillis: UInt64
    public let maxUses: UInt64
    public let uses: UInt64
    public let usesLeft: UInt64
    public let revoked: Bool
    public let grantedAtHeight: UInt64

    public init(
        id: String, holder: String, licences: [String], office: String, purpose: String, notAfterMillis: UInt64,
        maxUses: UInt64, uses: UInt64, usesLeft: UInt64, revoked: Bool, grantedAtHeight: UInt64
    ) {
        self.id = id
        self.holder = holder
        self.licences = licences
        self.office = office
        self.purpose = purpose
        self.notAfterMillis = notAfterMillis
        self.maxUses = maxUses
        self.uses = uses
        self.usesLeft = usesLeft
        self.revoked = revoked
        self.grantedAtHeight = grantedAtHeight
    }
}

public struct ConsentListView: Codable, Sendable, Hashable {
    public let holder: String
    /// Newest first; at most `limit` (the ledger does not page these yet).
    public let consents: [ConsentView]

    public init(holder: String, consents: [ConsentView]) {
        self.holder = holder
        self.consents = consents
    }
}

/// One use of a grant: who looked, when, under which transaction.
public struct ConsentUseView: Codable, Sendable, Hashable {
    /// 0-based use number; pass `next` as `from` for the following page.
    public let use: UInt64
    public let licence: String
    public let office: String
    public let height: UInt64
    public let timeMillis: UInt64
    public let transaction: String

    public init(use: UInt64, licence: String, office: String, height: UInt64, timeMillis: UInt64, transaction: String) {
        self.use = use
        self.licence = licence
        self.office = office
        self.height = height
        self.timeMillis = timeMillis
        self.transaction = transaction
    }
}

public struct ConsentUsesView: Codable, Sendable, Hashable {
    public let consent: String
    public let uses: [ConsentUseView]
    /// The `from` of the next page; omitted when this page was the last.
    public let next: UInt64?

    public init(consent: String, uses: [ConsentUseView], next: UInt64?) {
        self.consent = consent
        self.uses = uses
        self.next = next
    }
}
