import LedgerCore
import LedgerCrypto
import LedgerState

/// A bureau as a genesis file describes it: its keys may still be empty,
/// waiting for the devnet tooling to generate and fill them in.
public struct BureauSpec: Hashable, Sendable {
    public let id: BureauID
    public let nameZh: String
    public let nameEn: String
    public let nodeKey: PublicKeyBytes?
    public let adminKey: PublicKeyBytes?
    public let rights: BureauRights
    /// Where `node_key` and `admin_key` are written, for naming the missing ones.
    let nodeKeyLocation: SourceLocation
    let adminKeyLocation: SourceLocation
}

/// A parsed genesis file: everything checked except that every key is present.
public struct GenesisSpec: Sendable {
    /// The file name errors are reported against.
    public let file: String
    public let chainID: ChainID
    public let suite: SuiteID
    public let genesisTimeMillis: UInt64
    public let checkpointInterval: UInt64
    /// Sorted by id.
    public let bureaus: [BureauSpec]
    /// Sorted by code.
    public let licenceTypes: [LicenceTypeInfo]

    /// Bureau keys left empty in the file, in bureau-id order, node key first.
    public var missingKeys: [(bureau: BureauID, key: String)] {
        missing.map { ($0.bureau, $0.key) }
    }

    private var missing: [MissingKey] {
        bureaus.flatMap { bureau -> [MissingKey] in
            var out: [MissingKey] = []
            if bureau.nodeKey == nil {
                out.append(MissingKey(bureau: bureau.id, key: "node_key", location: bureau.nodeKeyLocation))
            }
            if bureau.adminKey == nil {
                out.append(MissingKey(bureau: bureau.id, key: "admin_key", location: bureau.adminKeyLocation))
            }
            return out
        }
    }

    /// The genesis document, once every key is filled in.
    public func document() throws(GenesisError) -> GenesisDocument {
        let missing = self.missing
        guard missing.isEmpty else { throw .missingKeys(missing) }
        var bureaus: [Bureau] = []
        for spec in self.bureaus {
            guard let nodeKey = spec.nodeKey, let adminKey = spec.adminKey else { throw .missingKeys(missing) }
            bureaus.append(try Bureau(
                id: spec.id, nameZh: spec.nameZh, nameEn: spec.nameEn, nodeKey: nodeKey, adminKey: adminKey,
                rights: spec.rights))
        }
        return try GenesisDocument(
            chainID: chainID, suite: suite, genesisTimeMillis: genesisTimeMillis,
            checkpointInterval: checkpointInterval, bureaus: bureaus, licenceTypes: licenceTypes)
    }
}
