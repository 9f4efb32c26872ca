import LedgerCore
import LedgerCrypto
import SwiftASN1

/// Everything a chain starts from: its id, crypto suite, founding bureaus and
/// licence-type catalogue. The genesis block commits to this encoding, so every
/// replica must agree on it byte for byte.
///
/// ```
/// GenesisDocument ::= SEQUENCE {
///   version             INTEGER (1),
///   chainID             UTF8String (SIZE (1..64)),
///   suite               UTF8String,                   -- SuiteID raw value: "standard" | "guomi"
///   genesisTimeMillis   INTEGER (0..2^64-1),          -- Unix epoch milliseconds
///   checkpointInterval  INTEGER (1..1024),
///   bureaus             SEQUENCE (SIZE (4..64)) OF Bureau,              -- ascending id
///   licenceTypes        SEQUENCE (SIZE (0..512)) OF LicenceTypeInfo     -- ascending code
/// }
/// Bureau ::= SEQUENCE {
///   id        UTF8String (SIZE (2..32)),
///   nameZh    UTF8String (SIZE (1..128)),
///   nameEn    UTF8String (SIZE (1..128)),
///   nodeKey   OCTET STRING (SIZE (33)),
///   adminKey  OCTET STRING (SIZE (33)),
///   rights    BureauRights
/// }
/// BureauRights ::= SEQUENCE {
///   licenceTypes        SEQUENCE (SIZE (0..512)) OF UTF8String,   -- ascending codes
///   registersOffices    BOOLEAN,
///   registersTaxpayers  BOOLEAN,
///   registersAuditors   BOOLEAN
/// }
/// LicenceTypeInfo ::= SEQUENCE {
///   code        UTF8String (SIZE (2..32)),
///   nameZh      UTF8String (SIZE (1..128)),
///   nameEn      UTF8String (SIZE (1..128)),
///   holderKind  UTF8String                    -- "person" | "organisation"
/// }
/// ```
/// Lists are kept sorted and free of repeats by the initialisers and the
/// decoder alike, so the same genesis can never be written two ways.
public struct GenesisDocument: CanonicalCodable, Hashable {
    public static let supportedVersions = [1]
    /// PBFT tolerates f faults with n = 3f + 1 replicas; below 4 it tolerates none.
    public static let minBureaus = 4
    public static let maxBureaus = 64
    public static let maxLicenceTypes = 512
    /// Bytes in a bureau or licence-type name (a Chinese character takes 3).
    public static let maxNameBytes = GenesisText.maxNameBytes
    public static let defaultCheckpointInterval: UInt64 = 16
    /// Replicas keep their log between stable checkpoints, so K bounds the log;
    /// past 1024 blocks the log and a lagging replica's catch-up grow unreasonably.
    public static let checkpointIntervalRange: ClosedRange<UInt64> = 1...1024
    /// The caps above bound a document to about 1.3 MB (64 bureaus each naming all
    /// 512 types dominate); 2 MiB leaves room without admitting anything absurd.
    public static let maxEncodedSize = 2 * 1024 * 1024
    /// SEQUENCE, five scalar fields, two lists and their elements.
    public static let maxNodeCount =
        8 + maxBureaus * Bureau.maxNodeCount + maxLicenceTypes * LicenceTypeInfo.maxNodeCount

    public let chainID: ChainID
    public let suite: SuiteID
    /// The genesis block's timestamp (Unix epoch milliseconds).
    public let genesisTimeMillis: UInt64
    /// Consensus K: a checkpoint every K blocks.
    public let checkpointInterval: UInt64
    /// Sorted by id.
    public let bureaus: [Bureau]
    /// Sorted by code.
    public let licenceTypes: [LicenceTypeInfo]

    public init(
        chainID: ChainID, suite: SuiteID, genesisTimeMillis: UInt64,
        checkpointInterval: UInt64 = GenesisDocument.defaultCheckpointInterval,
        bureaus: [Bureau], licenceTypes: [LicenceTypeInfo]
    ) throws(GenesisError) {
        guard Self.checkpointIntervalRange.contains(checkpointInterval) else {
            throw .invalidCheckpointInterval(checkpointInterval)
        }
        guard bureaus.count >= Self.minBureaus else {
            throw .tooFewBureaus(count: bureaus.count, minimum: Self.minBureaus)
        }
        guard bureaus.count <= Self.maxBureaus else {
            throw .tooMany(field: "bureaus", count: bureaus.count, limit: Self.maxBureaus)
        }
        guard licenceTypes.count <= Self.maxLicenceTypes else {
            throw .tooMany(field: "licenceTypes", count: licenceTypes.count, limit: Self.maxLicenceTypes)
        }
        // Repeats are named before order is checked: "psb appears twice" says more
        // than "not sorted".
        var seenIDs = Set<BureauID>()
        for bureau in bureaus where !seenIDs.insert(bureau.id).inserted {
            throw .duplicateBureau(bureau.id)
        }
        var seenCodes = Set<LicenceTypeCode>()
        for type in licenceTypes where !seenCodes.insert(type.code).inserted {
            throw .duplicateLicenceType(type.code)
        }
        guard GenesisText.isStrictlyAscending(bureaus.map(\.id)) else { throw .notSorted(field: "bureaus") }
        guard GenesisText.isStrictlyAscending(licenceTypes.map(\.code)) else { throw .notSorted(field: "licenceTypes") }
        try Self.checkKeysDistinct(bureaus)
        for bureau in bureaus {
            for code in bureau.rights.licenceTypes where !seenCodes.contains(code) {
                throw .unknownLicenceType(bureau: bureau.id, code: code)
            }
        }
        self.chainID = chainID
        self.suite = suite
        self.genesisTimeMillis = genesisTimeMillis
        self.checkpointInterval = checkpointInterval
        self.bureaus = bureaus
        self.licenceTypes = licenceTypes
    }

    /// A key shared between two roles would let one signer act as two replicas
    /// (breaking the 3f + 1 count) or let a node host act as a bureau admin.
    private static func checkKeysDistinct(_ bureaus: [Bureau]) throws(GenesisError) {
        var owners: [PublicKeyBytes: String] = [:]
        for bureau in bureaus {
            for (key, role) in [(bureau.nodeKey, "nodeKey"), (bureau.adminKey, "adminKey")] {
                let name = "\(bureau.id).\(role)"
                if let first = owners[key] { throw .duplicateKey(first: first, second: name) }
                owners[key] = name
            }
        }
    }

    /// The rule every bureau and licence-type name follows, for readers that
    /// want to report a bad name before building the value.
    public static func checkName(_ name: String, field: String) throws(GenesisError) {
        try GenesisText.checkName(name, field: field)
    }

    public func bureau(_ id: BureauID) -> Bureau? {
        GenesisText.binarySearch(bureaus, for: id, key: \.id).map { bureaus[$0] }
    }

    public func licenceType(_ code: LicenceTypeCode) -> LicenceTypeInfo? {
        GenesisText.binarySearch(licenceTypes, for: code, key: \.code).map { licenceTypes[$0] }
    }

    // MARK: DER

    public static var defaultIdentifier: ASN1Identifier { .sequence }

    public init(derEncoded rootNode: ASN1Node, withIdentifier identifier: ASN1Identifier) throws {
        self = try DER.sequence(rootNode, identifier: identifier) { nodes in
            let version = try GenesisDER.readUInt64(&nodes, field: "version")
            guard let known = Int(exactly: version), Self.supportedVersions.contains(known) else {
                throw CanonicalError.unsupportedVersion(
                    type: GenesisDER.typeName, found: Int(clamping: version), supported: Self.supportedVersions)
            }
            let chainText = try GenesisDER.readUTF8(&nodes, field: "chainID", maxBytes: ChainID.maxLength)
            guard let chainID = ChainID(chainText) else {
                throw GenesisDER.violation("chainID", GenesisError.invalidChainID(chainText))
            }
            let suiteText = try GenesisDER.readUTF8(&nodes, field: "suite", maxBytes: 16)
            guard let suite = SuiteID(rawValue: suiteText) else {
                throw GenesisDER.violation("suite", GenesisError.unknownSuite(suiteText))
            }
            let time = try GenesisDER.readUInt64(&nodes, field: "genesisTimeMillis")
            let interval = try GenesisDER.readUInt64(&nodes, field: "checkpointInterval")
            let bureaus = try GenesisDER.readSortedList(
                &nodes, field: "bureaus", limit: Self.maxBureaus, key: \.id, element: Bureau.init(derNode:))
            let types = try GenesisDER.readSortedList(
                &nodes, field: "licenceTypes", limit: Self.maxLicenceTypes, key: \.code,
                element: LicenceTypeInfo.init(derNode:))
            do throws(GenesisError) {
                return try GenesisDocument(
                    chainID: chainID, suite: suite, genesisTimeMillis: time, checkpointInterval: interval,
                    bureaus: bureaus, licenceTypes: types)
            } catch {
                throw GenesisDER.violation("document", error)
            }
        }
    }

    public func serialize(into coder: inout DER.Serializer, withIdentifier identifier: ASN1Identifier) throws {
        try coder.appendConstructedNode(identifier: identifier) { coder in
            try coder.serialize(1)
            try GenesisDER.writeUTF8(chainID.value, into: &coder)
            try GenesisDER.writeUTF8(suite.rawValue, into: &coder)
            try coder.serialize(genesisTimeMillis)
            try coder.serialize(checkpointInterval)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for bureau in bureaus { try bureau.serialize(into: &coder) }
            }
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                for type in licenceTypes { try type.serialize(into: &coder) }
            }
        }
    }
}
