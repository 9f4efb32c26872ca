import LedgerCore
import LedgerState

/// Views built from ledger records: shared by the node, which serves them, and
/// the light client, which builds them from proven records only.
extension LicenceView {
    public init(_ record: LicenceRecord, type info: LicenceTypeInfo?, issuer bureau: Bureau?) {
        let longTerm = record.issued.validUntil == LicenceIssue.longTerm
        self.init(
            id: record.id.hex,
            type: TypeView(
                code: record.licenceType.value, nameZh: info?.nameZh, nameEn: info?.nameEn,
                holderKind: info?.holderKind.rawValue),
            issuer: IssuerView(id: record.issuer.value, nameZh: bureau?.nameZh, nameEn: bureau?.nameEn),
            holderKey: record.holderKey.hex, holderCommitment: record.issued.holderCommitment.hex,
            documentDigest: record.issued.documentDigest.hex, validFromMillis: record.issued.validFrom,
            validUntilMillis: longTerm ? nil : record.issued.validUntil, longTerm: longTerm,
            status: record.status.rawValue, supersedes: record.supersedes?.hex, supersededBy: record.supersededBy?.hex,
            issuedAtHeight: record.issuedAtHeight.value, updatedAtHeight: record.updatedAtHeight.value)
    }

    /// Reads the catalogue entry and issuer alongside the licence, in the same snapshot.
    public static func load(_ record: LicenceRecord, in queries: LedgerQueries) throws(LedgerError) -> LicenceView {
        let info = try queries.licenceType(record.licenceType)
        let issuer = try queries.bureau(record.issuer)
        return LicenceView(record, type: info, issuer: issuer)
    }
}
