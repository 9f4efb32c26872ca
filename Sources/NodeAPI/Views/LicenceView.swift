import LedgerCore
import LedgerState

/// A licence as the chain keeps it (digests and status, never personal data),
/// with its type's and issuer's names from the catalogue and bureau set.
struct LicenceView: Encodable, Sendable {
    struct TypeView: Encodable, Sendable {
        let code: String
        /// Omitted if the catalogue no longer lists the code (it never should).
        let nameZh: String?
        let nameEn: String?
        let holderKind: String?
    }

    struct IssuerView: Encodable, Sendable {
        let id: String
        /// Omitted once the bureau has been removed from the bureau set.
        let nameZh: String?
        let nameEn: String?
    }

    let id: String
    let type: TypeView
    let issuer: IssuerView
    let holderKey: String
    let holderCommitment: String
    let documentDigest: String
    let validFromMillis: UInt64
    /// Omitted for a long-term (长期) licence.
    let validUntilMillis: UInt64?
    let longTerm: Bool
    let status: String
    let supersedes: String?
    let supersededBy: String?
    let issuedAtHeight: UInt64
    let updatedAtHeight: UInt64

    init(_ record: LicenceRecord, type info: LicenceTypeInfo?, issuer bureau: Bureau?) {
        id = record.id.hex
        type = TypeView(
            code: record.licenceType.value, nameZh: info?.nameZh, nameEn: info?.nameEn, holderKind: info?.holderKind.rawValue)
        issuer = IssuerView(id: record.issuer.value, nameZh: bureau?.nameZh, nameEn: bureau?.nameEn)
        holderKey = record.holderKey.hex
        holderCommitment = record.issued.holderCommitment.hex
        documentDigest = record.issued.documentDigest.hex
        validFromMillis = record.issued.validFrom
        longTerm = record.issued.validUntil == LicenceIssue.longTerm
        validUntilMillis = longTerm ? nil : record.issued.validUntil
        status = record.status.rawValue
        supersedes = record.supersedes?.hex
        supersededBy = record.supersededBy?.hex
        issuedAtHeight = record.issuedAtHeight.value
        updatedAtHeight = record.updatedAtHeight.value
    }

    /// Reads the catalogue entry and issuer alongside the licence, in the same snapshot.
    static func load(_ record: LicenceRecord, in queries: LedgerQueries) throws(LedgerError) -> LicenceView {
        let info = try queries.licenceType(record.licenceType)
        let issuer = try queries.bureaus().first { $0.id == record.issuer }
        return LicenceView(record, type: info, issuer: issuer)
    }
}
