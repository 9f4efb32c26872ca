/// Who a licence of some type is issued to. Decides which holder keys the state
/// machine accepts: a business licence is never issued to a person's key.
public enum HolderKind: String, Sendable, CaseIterable {
    case person
    case organisation
}

/// One entry of the licence-type catalogue.
public struct LicenceTypeInfo: Hashable, Sendable {
    public let code: LicenceTypeCode
    public let nameZh: String
    public let nameEn: String
    public let holderKind: HolderKind

    public init(code: LicenceTypeCode, nameZh: String, nameEn: String, holderKind: HolderKind) throws(GenesisError) {
        try GenesisText.checkName(nameZh, field: "licence type \(code).nameZh")
        try GenesisText.checkName(nameEn, field: "licence type \(code).nameEn")
        self.code = code
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.holderKind = holderKind
    }
}
