import LedgerState

/// A consent grant (扫码授权) and how much of it is left.
struct ConsentView: Encodable, Sendable {
    let id: String
    let holder: String
    let licences: [String]
    let office: String
    let purpose: String
    let notAfterMillis: UInt64
    let maxUses: UInt64
    let uses: UInt64
    let usesLeft: UInt64
    let revoked: Bool
    let grantedAtHeight: UInt64

    init(_ record: ConsentRecord) {
        id = record.id.hex
        holder = record.grant.holder.hex
        licences = record.grant.licences.map(\.hex)
        office = record.grant.office.value
        purpose = record.grant.purpose
        notAfterMillis = record.grant.notAfter
        maxUses = record.grant.maxUses
        uses = record.uses
        usesLeft = record.usesLeft
        revoked = record.revoked
        grantedAtHeight = record.grantedAtHeight.value
    }
}

struct ConsentListView: Encodable, Sendable {
    let holder: String
    /// Newest first; at most `limit` (the ledger does not page these yet).
    let consents: [ConsentView]
}

/// One use of a grant: who looked, when, under which transaction.
struct ConsentUseView: Encodable, Sendable {
    /// 0-based use number; pass `next` as `from` for the following page.
    let use: UInt64
    let licence: String
    let office: String
    let height: UInt64
    let timeMillis: UInt64
    let transaction: String

    init(_ record: ConsentUseRecord, number: UInt64) {
        use = number
        licence = record.licence.hex
        office = record.office.value
        height = record.height.value
        timeMillis = record.timeMillis
        transaction = record.transaction.hex
    }
}

struct ConsentUsesView: Encodable, Sendable {
    let consent: String
    let uses: [ConsentUseView]
    /// The `from` of the next page; omitted when this page was the last.
    let next: UInt64?
}
