/// What a bureau may do on chain beyond running a node.
public struct BureauRights: Hashable, Sendable {
    /// Sorted ascending, no duplicates, so that equal rights encode equally.
    public let licenceTypes: [LicenceTypeCode]
    /// May register offices (service counters, 窗口) that ask holders for consent.
    public let registersOffices: Bool
    /// May register taxpayers, who issue and receive e-invoices.
    public let registersTaxpayers: Bool
    /// May register tax auditors, who trace invoices.
    public let registersAuditors: Bool

    /// Refuses unsorted or repeated codes rather than sorting them, so a caller
    /// that builds rights by hand learns of its mistake instead of having it hidden.
    public init(
        licenceTypes: [LicenceTypeCode], registersOffices: Bool, registersTaxpayers: Bool, registersAuditors: Bool
    ) throws(GenesisError) {
        guard licenceTypes.count <= GenesisDocument.maxLicenceTypes else {
            throw .tooMany(field: "rights.licenceTypes", count: licenceTypes.count, limit: GenesisDocument.maxLicenceTypes)
        }
        guard GenesisText.isStrictlyAscending(licenceTypes) else { throw .notSorted(field: "rights.licenceTypes") }
        self.licenceTypes = licenceTypes
        self.registersOffices = registersOffices
        self.registersTaxpayers = registersTaxpayers
        self.registersAuditors = registersAuditors
    }

    public func mayIssue(_ code: LicenceTypeCode) -> Bool {
        GenesisText.binarySearch(licenceTypes, for: code, key: { $0 }) != nil
    }
}
