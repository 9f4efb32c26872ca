import LedgerCore

/// A founding organisation: it runs one consensus node and holds one admin key
/// that signs its governance and registration transactions.
public struct Bureau: Hashable, Sendable {
    public let id: BureauID
    public let nameZh: String
    public let nameEn: String
    /// Signs consensus messages; checked against genesis by every replica.
    public let nodeKey: PublicKeyBytes
    /// Signs the bureau's transactions (licences, registrations).
    public let adminKey: PublicKeyBytes
    public let rights: BureauRights

    /// A node key equal to the admin key is refused: the two roles are kept apart
    /// so that a compromised node host cannot issue licences.
    public init(
        id: BureauID, nameZh: String, nameEn: String, nodeKey: PublicKeyBytes, adminKey: PublicKeyBytes,
        rights: BureauRights
    ) throws(GenesisError) {
        try GenesisText.checkName(nameZh, field: "bureau \(id).nameZh")
        try GenesisText.checkName(nameEn, field: "bureau \(id).nameEn")
        guard nodeKey != adminKey else {
            throw .duplicateKey(first: "\(id).nodeKey", second: "\(id).adminKey")
        }
        self.id = id
        self.nameZh = nameZh
        self.nameEn = nameEn
        self.nodeKey = nodeKey
        self.adminKey = adminKey
        self.rights = rights
    }
}
