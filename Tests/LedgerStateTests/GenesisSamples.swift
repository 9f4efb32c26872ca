import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerTesting

/// Valid genesis values built from a seed, and the fixed four-bureau devnet shape.
enum GenesisSamples {
    static let chain = ChainID("civic-devnet")!

    static func key(_ rng: inout SeededGenerator) -> PublicKeyBytes {
        PublicKeyBytes([UInt8.random(in: 2...3, using: &rng)] + rng.bytes(32))!
    }

    static func code(_ text: String) -> LicenceTypeCode { try! LicenceTypeCode(text) }
    static func id(_ text: String) -> BureauID { try! BureauID(text) }

    static let catalogue: [LicenceTypeInfo] = [
        ("BUSINESS_LICENCE", "营业执照", "Business Licence", HolderKind.organisation),
        ("DRIVING_LICENCE", "机动车驾驶证", "Motor Vehicle Driving Licence", .person),
        ("HOUSEHOLD_REGISTER", "户口簿", "Household Register", .person),
        ("RESIDENT_ID_CARD", "居民身份证", "Resident Identity Card", .person),
        ("SOCIAL_SECURITY_CARD", "社会保障卡", "Social Security Card", .person),
    ].map { try! LicenceTypeInfo(code: code($0.0), nameZh: $0.1, nameEn: $0.2, holderKind: $0.3) }

    static func rights(_ codes: [String], offices: Bool = false, taxpayers: Bool = false, auditors: Bool = false)
        -> BureauRights
    {
        try! BureauRights(
            licenceTypes: codes.map(code).sorted(), registersOffices: offices, registersTaxpayers: taxpayers,
            registersAuditors: auditors)
    }

    static func bureaus(_ rng: inout SeededGenerator) -> [Bureau] {
        [
            ("gsdmb", "政务服务数据管理局", "Government Services and Data Management Bureau",
             rights(["SOCIAL_SECURITY_CARD"], offices: true)),
            ("psb", "公安局", "Public Security Bureau", rights(["DRIVING_LICENCE", "HOUSEHOLD_REGISTER", "RESIDENT_ID_CARD"])),
            ("samr", "市场监管局", "Market Supervision Administration", rights(["BUSINESS_LICENCE"])),
            ("tax", "税务局", "Tax Bureau", rights([], taxpayers: true, auditors: true)),
        ].map {
            try! Bureau(id: id($0.0), nameZh: $0.1, nameEn: $0.2, nodeKey: key(&rng), adminKey: key(&rng), rights: $0.3)
        }
    }

    static func devnet(_ rng: inout SeededGenerator) -> GenesisDocument {
        try! GenesisDocument(
            chainID: chain, suite: .standard, genesisTimeMillis: 1_767_225_600_000, checkpointInterval: 16,
            bureaus: bureaus(&rng), licenceTypes: catalogue)
    }

    /// A random valid document: 4 to 12 bureaus, up to 40 types, random rights.
    static func random(_ rng: inout SeededGenerator) -> GenesisDocument {
        let typeCount = Int.random(in: 0...40, using: &rng)
        let codes = Set((0..<typeCount).map { _ in "T\(UInt32.random(in: 0...99_999, using: &rng))" }).sorted {
            $0.utf8.lexicographicallyPrecedes($1.utf8)
        }
        let types = codes.map {
            try! LicenceTypeInfo(
                code: code($0), nameZh: "证照\($0)", nameEn: "Licence \($0)",
                holderKind: HolderKind.allCases.randomElement(using: &rng)!)
        }
        let bureauCount = Int.random(in: 4...12, using: &rng)
        let ids = (0..<bureauCount).map { "b\($0)" }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let bureaus = ids.map { bureauID -> Bureau in
            let mine = codes.filter { _ in Bool.random(using: &rng) }
            return try! Bureau(
                id: id(bureauID), nameZh: "局\(bureauID)", nameEn: "Bureau \(bureauID)", nodeKey: key(&rng),
                adminKey: key(&rng),
                rights: rights(
                    mine, offices: .random(using: &rng), taxpayers: .random(using: &rng), auditors: .random(using: &rng)))
        }
        return try! GenesisDocument(
            chainID: chain, suite: SuiteID.allCases.randomElement(using: &rng)!, genesisTimeMillis: rng.boundaryUInt64(),
            checkpointInterval: UInt64.random(in: GenesisDocument.checkpointIntervalRange, using: &rng),
            bureaus: bureaus, licenceTypes: types)
    }
}
