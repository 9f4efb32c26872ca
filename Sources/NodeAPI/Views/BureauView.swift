import LedgerState

/// A bureau of the current set, with what it may do on chain.
struct BureauView: Encodable, Sendable {
    struct LicenceTypeView: Encodable, Sendable {
        let code: String
        let nameZh: String?
        let nameEn: String?
    }

    struct RightsView: Encodable, Sendable {
        let licenceTypes: [LicenceTypeView]
        let registersOffices: Bool
        let registersTaxpayers: Bool
        let registersAuditors: Bool
    }

    let id: String
    let nameZh: String
    let nameEn: String
    let nodeKey: String
    let adminKey: String
    let rights: RightsView

    init(_ bureau: Bureau, catalogue: [LicenceTypeCode: LicenceTypeInfo]) {
        id = bureau.id.value
        nameZh = bureau.nameZh
        nameEn = bureau.nameEn
        nodeKey = bureau.nodeKey.hex
        adminKey = bureau.adminKey.hex
        rights = RightsView(
            licenceTypes: bureau.rights.licenceTypes.map {
                LicenceTypeView(code: $0.value, nameZh: catalogue[$0]?.nameZh, nameEn: catalogue[$0]?.nameEn)
            },
            registersOffices: bureau.rights.registersOffices, registersTaxpayers: bureau.rights.registersTaxpayers,
            registersAuditors: bureau.rights.registersAuditors)
    }
}

struct BureauListView: Encodable, Sendable {
    let bureaus: [BureauView]
}
