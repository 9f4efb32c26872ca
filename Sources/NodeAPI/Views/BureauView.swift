import LedgerState
import NodeAPIModel

extension BureauView {
    init(_ bureau: Bureau, catalogue: [LicenceTypeCode: LicenceTypeInfo]) {
        self.init(
            id: bureau.id.value, nameZh: bureau.nameZh, nameEn: bureau.nameEn, nodeKey: bureau.nodeKey.hex,
            adminKey: bureau.adminKey.hex,
            rights: RightsView(
                licenceTypes: bureau.rights.licenceTypes.map {
                    LicenceTypeView(code: $0.value, nameZh: catalogue[$0]?.nameZh, nameEn: catalogue[$0]?.nameEn)
                },
                registersOffices: bureau.rights.registersOffices, registersTaxpayers: bureau.rights.registersTaxpayers,
                registersAuditors: bureau.rights.registersAuditors))
    }
}
