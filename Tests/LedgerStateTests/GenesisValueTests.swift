import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerTesting
import Testing

@Suite("Genesis values")
struct GenesisValueTests {
    @Test("Licence type codes follow ^[A-Z][A-Z0-9_]{1,31}$")
    func codes() {
        for good in ["RESIDENT_ID_CARD", "AB", "A1", "A_", String(repeating: "X", count: 32)] {
            #expect((try? LicenceTypeCode(good))?.value == good)
        }
        for bad in ["", "A", "resident_id", "1ABC", "_ABC", "AB-C", "ÄB", "A B", String(repeating: "X", count: 33)] {
            #expect(throws: GenesisError.invalidLicenceTypeCode(bad)) { try LicenceTypeCode(bad) }
        }
    }

    @Test("Bureau ids follow ^[a-z][a-z0-9-]{1,31}$")
    func bureauIDs() {
        for good in ["gsdmb", "psb", "samr", "tax", "a-", "b9", String(repeating: "z", count: 32)] {
            #expect((try? BureauID(good))?.value == good)
        }
        for bad in ["", "p", "PSB", "9psb", "-psb", "p_sb", "p sb", String(repeating: "z", count: 33)] {
            #expect(throws: GenesisError.invalidBureauID(bad)) { try BureauID(bad) }
        }
    }

    @Test("Codes and ids order by bytes")
    func ordering() throws {
        #expect(try LicenceTypeCode("AB") < LicenceTypeCode("A_"))  // '_' (0x5F) sorts after 'B'
        #expect(try LicenceTypeCode("Z1") < LicenceTypeCode("ZA"))
        #expect(try BureauID("a-b") < BureauID("a0"))
    }

    @Test("Names must be non-empty, at most 128 bytes, without control characters")
    func names() throws {
        let code = GenesisSamples.code("RESIDENT_ID_CARD")
        let longest = String(repeating: "证", count: 42) + "AB"  // 128 bytes
        #expect(throws: Never.self) {
            try LicenceTypeInfo(code: code, nameZh: longest, nameEn: "x", holderKind: .person)
        }
        for bad in ["", longest + "C", "居民\n身份证", "tab\there"] {
            #expect {
                try LicenceTypeInfo(code: code, nameZh: bad, nameEn: "x", holderKind: .person)
            } throws: { error in
                guard case .invalidName(let field, _) = error as? GenesisError else { return false }
                return field == "licence type RESIDENT_ID_CARD.nameZh"
            }
        }
    }

    @Test("Rights refuse unsorted or repeated codes and answer mayIssue")
    func rights() throws {
        let a = GenesisSamples.code("AA"), b = GenesisSamples.code("BB"), c = GenesisSamples.code("CC")
        let rights = try BureauRights(licenceTypes: [a, c], registersOffices: true, registersTaxpayers: false, registersAuditors: false)
        #expect(rights.mayIssue(a) && rights.mayIssue(c) && !rights.mayIssue(b))
        #expect(throws: GenesisError.notSorted(field: "rights.licenceTypes")) {
            try BureauRights(licenceTypes: [c, a], registersOffices: false, registersTaxpayers: false, registersAuditors: false)
        }
        #expect(throws: GenesisError.notSorted(field: "rights.licenceTypes")) {
            try BureauRights(licenceTypes: [a, a], registersOffices: false, registersTaxpayers: false, registersAuditors: false)
        }
    }

    @Test("A bureau's node and admin keys differ")
    func bureauKeys() {
        var rng = SeededGenerator(seed: 3)
        let key = GenesisSamples.key(&rng)
        #expect(throws: GenesisError.duplicateKey(first: "psb.nodeKey", second: "psb.adminKey")) {
            try Bureau(
                id: GenesisSamples.id("psb"), nameZh: "公安局", nameEn: "Public Security Bureau", nodeKey: key,
                adminKey: key, rights: GenesisSamples.rights([]))
        }
    }

    @Test("Lookups find bureaus and licence types")
    func lookups() throws {
        var rng = SeededGenerator(seed: 4)
        let document = GenesisSamples.devnet(&rng)
        #expect(document.bureau(try BureauID("psb"))?.nameZh == "公安局")
        #expect(document.bureau(try BureauID("nobody")) == nil)
        #expect(document.licenceType(try LicenceTypeCode("BUSINESS_LICENCE"))?.holderKind == .organisation)
        #expect(document.licenceType(try LicenceTypeCode("NO_SUCH_TYPE")) == nil)
        for bureau in document.bureaus { #expect(document.bureau(bureau.id) == bureau) }
        for type in document.licenceTypes { #expect(document.licenceType(type.code) == type) }
    }
}

@Suite("Genesis document rules")
struct GenesisDocumentRuleTests {
    private func make(
        bureaus: [Bureau], types: [LicenceTypeInfo] = GenesisSamples.catalogue, interval: UInt64 = 16
    ) throws(GenesisError) -> GenesisDocument {
        try GenesisDocument(
            chainID: GenesisSamples.chain, suite: .guomi, genesisTimeMillis: 0, checkpointInterval: interval,
            bureaus: bureaus, licenceTypes: types)
    }

    private func bureau(_ id: String, _ rng: inout SeededGenerator, codes: [String] = []) -> Bureau {
        try! Bureau(
            id: GenesisSamples.id(id), nameZh: "局", nameEn: "Bureau", nodeKey: GenesisSamples.key(&rng),
            adminKey: GenesisSamples.key(&rng), rights: GenesisSamples.rights(codes))
    }

    @Test("PBFT needs at least four bureaus")
    func tooFew() {
        var rng = SeededGenerator(seed: 5)
        let three = GenesisSamples.bureaus(&rng).prefix(3)
        #expect(throws: GenesisError.tooFewBureaus(count: 3, minimum: 4)) { try make(bureaus: Array(three)) }
    }

    @Test("Bureaus must be unique and sorted by id")
    func bureauOrder() {
        var rng = SeededGenerator(seed: 6)
        let four = GenesisSamples.bureaus(&rng)
        #expect(throws: GenesisError.notSorted(field: "bureaus")) { try make(bureaus: four.reversed()) }
        let twice = [four[0], four[1], bureau("psb", &rng), four[2], four[3]]
        #expect(throws: GenesisError.duplicateBureau(GenesisSamples.id("psb"))) { try make(bureaus: twice) }
    }

    @Test("Licence types must be unique and sorted by code")
    func typeOrder() {
        var rng = SeededGenerator(seed: 7)
        let four = GenesisSamples.bureaus(&rng)
        let catalogue = GenesisSamples.catalogue
        #expect(throws: GenesisError.notSorted(field: "licenceTypes")) {
            try make(bureaus: four, types: catalogue.reversed())
        }
        #expect(throws: GenesisError.duplicateLicenceType(catalogue[1].code)) {
            try make(bureaus: four, types: catalogue + [catalogue[1]])
        }
    }

    @Test("Every key is used once across all bureaus and roles")
    func keysDistinct() throws {
        var rng = SeededGenerator(seed: 8)
        let four = GenesisSamples.bureaus(&rng)
        func replacing(_ index: Int, node: PublicKeyBytes? = nil, admin: PublicKeyBytes? = nil) throws -> [Bureau] {
            var copy = four
            let old = copy[index]
            copy[index] = try Bureau(
                id: old.id, nameZh: old.nameZh, nameEn: old.nameEn, nodeKey: node ?? old.nodeKey,
                adminKey: admin ?? old.adminKey, rights: old.rights)
            return copy
        }
        #expect(throws: GenesisError.duplicateKey(first: "gsdmb.nodeKey", second: "samr.nodeKey")) {
            try make(bureaus: try replacing(2, node: four[0].nodeKey))
        }
        #expect(throws: GenesisError.duplicateKey(first: "psb.adminKey", second: "tax.adminKey")) {
            try make(bureaus: try replacing(3, admin: four[1].adminKey))
        }
        #expect(throws: GenesisError.duplicateKey(first: "psb.nodeKey", second: "tax.adminKey")) {
            try make(bureaus: try replacing(3, admin: four[1].nodeKey))
        }
    }

    @Test("Rights may only name catalogue codes")
    func unknownCode() {
        var rng = SeededGenerator(seed: 9)
        var four = GenesisSamples.bureaus(&rng)
        four[3] = bureau("tax", &rng, codes: ["TAX_CLEARANCE"])
        #expect(throws: GenesisError.unknownLicenceType(bureau: GenesisSamples.id("tax"), code: GenesisSamples.code("TAX_CLEARANCE"))) {
            try make(bureaus: four)
        }
    }

    @Test("Caps: 64 bureaus, 512 licence types, checkpoint interval 1...1024")
    func caps() throws {
        var rng = SeededGenerator(seed: 10)
        let many = (0..<65).map { "b" + padded($0, 2) }.map { bureau($0, &rng) }
        #expect(throws: GenesisError.tooMany(field: "bureaus", count: 65, limit: 64)) { try make(bureaus: many) }
        #expect(throws: Never.self) { try make(bureaus: Array(many.prefix(64))) }

        let four = GenesisSamples.bureaus(&rng)
        let types = (0..<513).map { "T" + padded($0, 3) }.map {
            try! LicenceTypeInfo(code: GenesisSamples.code($0), nameZh: "证", nameEn: "L", holderKind: .person)
        }
        #expect(throws: GenesisError.tooMany(field: "licenceTypes", count: 513, limit: 512)) {
            try make(bureaus: four, types: types)
        }
        for bad in [0, 1025] as [UInt64] {
            #expect(throws: GenesisError.invalidCheckpointInterval(bad)) { try make(bureaus: four, interval: bad) }
        }
    }
}

private func padded(_ number: Int, _ width: Int) -> String {
    let digits = String(number)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
