/// A bureau of the current set, with what it may do on chain.
public struct BureauView: Codable, Sendable, Hashable {
    public struct LicenceTypeView: Codable, Sendable, Hashable {
        public let code: String
        public let nameZh: String?
        public let nameEn: String?

        public init(code: String, nameZh: String?, nameEn: String?) {
            self.code = code
            self.nameZh = nameZh
            self.nameEn = nameEn
        }
    }

    public struct RightsView: Codable, Sendable, Hashable {
        public let licenceTypes: [LicenceTypeView]
        public let registersOffices: Bool
        public let registersTaxpayers: Bool
        public let registersAuditors: Bool

        public init(licenceTypes: [LicenceTypeView], registersOffices: Bool, registersTaxpayers: Bool, registersAuditors: Bool) {
            self.licenceTypes = licenceTypes
            self.registersOffices = registersOffices
            self.registersTaxpayers = registersTaxpayers
            self.registersAuditors = registersAuditors
        }
    }

    public let id: String
    public let nameZh: String
    public let nameEn: String
    public let nodeKey: String
    public let adminKey: String
    public let rights: RightsView

    public init(id: String, nameZh: String, nameEn: String, nodeKey: String, adminKey: String, rights: RightsView) {
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.nodeKey = nodeKey
        self.adminKey = adminKey
        self.rights = rights
    }
}

public struct BureauListView: Codable, Sendable, Hashable {
    public let bureaus: [BureauView]

    public init(bureaus: [BureauView]) { self.bureaus = bureaus }
}
