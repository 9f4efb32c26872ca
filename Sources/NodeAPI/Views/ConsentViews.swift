import LedgerState
import NodeAPIModel

extension ConsentView {
    init(_ record: ConsentRecord) {
        self.init(
            id: record.id.hex, holder: record.grant.holder.hex, licences: record.grant.licences.map(\.hex),
            office: record.grant.office.value, purpose: record.grant.purpose, notAfterMillis: record.grant.notAfter,
            maxUses: record.grant.maxUses, uses: record.uses, usesLeft: record.usesLeft, revoked: record.revoked,
            grantedAtHeight: record.grantedAtHeight.value)
    }
}

extension ConsentUseView {
    init(_ record: ConsentUseRecord, number: UInt64) {
        self.init(
            use: number, licence: record.licence.hex, office: record.office.value, height: record.height.value,
            timeMillis: record.timeMillis, transaction: record.transaction.hex)
    }
}
