import Foundation
import GenesisFile
import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerTesting
import Testing

@Suite("Genesis file: the shipped devnet")
struct GenesisDevnetTests {
    let text: String

    init() throws {
        text = try String(contentsOfFile: GenesisFixtures.devnetPath, encoding: .utf8)
    }

    @Test("Genesis/devnet.toml parses with the four bureaus and the catalogue")
    func parses() throws {
        let spec = try GenesisFile.load(path: GenesisFixtures.devnetPath)
        #expect(spec.chainID.value == "civic-devnet")
        #expect(spec.suite == .standard)
        #expect(spec.genesisTimeMillis == 1_767_225_600_000)  // 2026-01-01T00:00:00Z
        #expect(spec.checkpointInterval == 16)
        #expect(spec.licenceTypes.count >= 20)
        let names = spec.bureaus.map { "\($0.id) \($0.nameZh) \($0.nameEn)" }
        #expect(names == [
            "gsdmb 政务服务数据管理局 Government Services and Data Management Bureau",
            "psb 公安局 Public Security Bureau",
            "samr 市场监管局 Market Supervision Administration",
            "tax 税务局 Tax Bureau",
        ])
        for (code, zh) in [
            ("RESIDENT_ID_CARD", "居民身份证"), ("RESIDENCE_PERMIT", "居住证"), ("HOUSEHOLD_REGISTER", "户口簿"),
            ("MARRIAGE_CERTIFICATE", "结婚证"), ("BIRTH_MEDICAL_CERTIFICATE", "出生医学证明"),
            ("SOCIAL_SECURITY_CARD", "社会保障卡"), ("DRIVING_LICENCE", "机动车驾驶证"), ("VEHICLE_LICENCE", "机动车行驶证"),
            ("REAL_ESTATE_CERTIFICATE", "不动产权证书"), ("BUSINESS_LICENCE", "营业执照"),
            ("FOOD_BUSINESS_LICENCE", "食品经营许可证"), ("DRUG_BUSINESS_LICENCE", "药品经营许可证"),
            ("TEACHER_QUALIFICATION", "教师资格证"), ("PHYSICIAN_QUALIFICATION", "执业医师资格证"),
        ] {
            #expect(spec.licenceTypes.first { $0.code.value == code }?.nameZh == zh, "\(code)")
        }
    }

    @Test("Rights follow the devnet's division of work, and every type has an issuer")
    func rights() throws {
        let spec = try GenesisFile.parse(text, file: "devnet.toml")
        func bureau(_ id: String) -> BureauSpec { spec.bureaus.first { $0.id.value == id }! }
        let code = GenesisFixtures.code
        #expect(bureau("psb").rights.mayIssue(code("RESIDENT_ID_CARD")))
        #expect(bureau("psb").rights.mayIssue(code("DRIVING_LICENCE")))
        #expect(bureau("samr").rights.mayIssue(code("BUSINESS_LICENCE")))
        #expect(!bureau("samr").rights.mayIssue(code("RESIDENT_ID_CARD")))
        #expect(bureau("gsdmb").rights.registersOffices && !bureau("psb").rights.registersOffices)
        #expect(bureau("tax").rights.registersTaxpayers && bureau("tax").rights.registersAuditors)
        #expect(bureau("tax").rights.licenceTypes.isEmpty)
        for type in spec.licenceTypes {
            let issuers = spec.bureaus.filter { $0.rights.mayIssue(type.code) }
            #expect(issuers.count == 1, "\(type.code) has \(issuers.count) issuers")
        }
    }

    @Test("document() names every key still to be filled in, with its line")
    func missingKeys() throws {
        let spec = try GenesisFile.parse(text, file: "Genesis/devnet.toml")
        #expect(spec.missingKeys.count == 8)
        #expect(spec.missingKeys.first.map { "\($0.bureau).\($0.key)" } == "gsdmb.node_key")
        #expect(throws: GenesisError.self) { try spec.document() }
        do {
            _ = try spec.document()
        } catch {
            guard case .missingKeys(let keys) = error else {
                Issue.record("expected missingKeys, got \(error)")
                return
            }
            #expect(keys.map { "\($0.bureau).\($0.key)@\($0.location?.line ?? 0)" } == [
                "gsdmb.node_key@38", "gsdmb.admin_key@39", "psb.node_key@63", "psb.admin_key@64",
                "samr.node_key@84", "samr.admin_key@85", "tax.node_key@103", "tax.admin_key@104",
            ])
            #expect(error.description.contains("bureau gsdmb: node_key (Genesis/devnet.toml:38:12)"))
        }
    }

    @Test("Filling keys keeps the file's comments and yields a document that round-trips", arguments: SuiteID.allCases)
    func fillAndBuild(suite: SuiteID) throws {
        let source = suite == .standard ? text : text.replacingOccurrences("suite = \"standard\"", with: "suite = \"guomi\"")
        let keys = GenesisFixtures.keys(for: ["gsdmb", "psb", "samr", "tax"], suite: suite)
        let filled = try GenesisFile.fillingKeys(source, file: "devnet.toml", keys: keys)

        // Only the eight key values change; every comment and blank line stays.
        let before = source.split(separator: "\n", omittingEmptySubsequences: false)
        let after = filled.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(before.count == after.count)
        let changed = zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }.map { $0.offset + 1 }
        #expect(changed == [38, 39, 63, 64, 84, 85, 103, 104])
        #expect(after[37] == "node_key = \"\(keys[GenesisFixtures.id("gsdmb")]!.node.hex)\"")

        let spec = try GenesisFile.parse(filled, file: "devnet.toml")
        #expect(spec.missingKeys.isEmpty)
        let document = try spec.document()
        #expect(document.suite == suite)
        #expect(document.bureau(GenesisFixtures.id("psb"))?.adminKey == keys[GenesisFixtures.id("psb")]!.admin)
        let bytes = Canonical.encode(document)
        #expect(try Canonical.decode(GenesisDocument.self, from: bytes) == document)
        // Parsing is deterministic: the same file always gives the same bytes.
        #expect(Canonical.encode(try GenesisFile.parse(filled, file: "x").document()) == bytes)
    }

    @Test("Filling some keys leaves the rest missing; refilling replaces keys")
    func partialFill() throws {
        let some = GenesisFixtures.keys(for: ["psb"])
        let once = try GenesisFile.fillingKeys(text, file: "devnet.toml", keys: some)
        #expect(try GenesisFile.parse(once, file: "devnet.toml").missingKeys.count == 6)
        let all = GenesisFixtures.keys(for: ["tax", "samr", "psb", "gsdmb"])
        let twice = try GenesisFile.fillingKeys(once, file: "devnet.toml", keys: all)
        let document = try GenesisFile.parse(twice, file: "devnet.toml").document()
        #expect(document.bureau(GenesisFixtures.id("psb"))?.nodeKey == all[GenesisFixtures.id("psb")]!.node)
    }

    @Test("Filling refuses an unknown bureau and keys that collide")
    func fillRefusals() {
        let stranger = GenesisFixtures.keys(for: ["mca"])
        #expect(throws: GenesisError.unknownBureau(GenesisFixtures.id("mca"), file: "devnet.toml")) {
            try GenesisFile.fillingKeys(text, file: "devnet.toml", keys: stranger)
        }
        let clash: [BureauID: (node: PublicKeyBytes, admin: PublicKeyBytes)] = [
            GenesisFixtures.id("gsdmb"): (GenesisFixtures.key(1), GenesisFixtures.key(2)),
            GenesisFixtures.id("psb"): (GenesisFixtures.key(2), GenesisFixtures.key(3)),
        ]
        #expect {
            try GenesisFile.fillingKeys(text, file: "devnet.toml", keys: clash)
        } throws: { error in
            let error = error as! GenesisError
            return error.problem == .duplicateKey(first: "gsdmb.admin_key", second: "psb.node_key")
                && error.location?.line == 63
        }
    }

    static let tricky = [
        "}", "{", "[", "]", ",", "=", ".", "\"", "'", "\\", "#", "\n", "\r", "\t", " ", "\u{A0}", "\u{3000}",
        "\u{2028}", "\u{85}", "\u{FEFF}", "é", "\"\"\"", "'''", "[[", "]]", "0x", "1979-05-27T07:32:00",
    ]

    @Test("Random byte mutations of the devnet file never trap", arguments: [41, 42, 43] as [UInt64])
    func mutations(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let original = Array(text.utf8)
        var refused = 0
        for _ in 0..<120 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...4, using: &rng) where !bytes.isEmpty {
                let position = Int.random(in: 0..<bytes.count, using: &rng)
                switch Int.random(in: 0..<6, using: &rng) {
                case 0: bytes[position] ^= 1 << UInt8.random(in: 0...7, using: &rng)
                case 1: bytes[position] = [0x22, 0x27, 0x5B, 0x5D, 0x3D, 0x23, 0x0A, 0x5C, 0x00, 0x7B].randomElement(using: &rng)!
                case 2: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: position)
                case 3:
                    // Characters that steer a TOML parser: structure, quotes,
                    // escapes, Unicode spaces and line breaks.
                    bytes.insert(contentsOf: Array(Self.tricky.randomElement(using: &rng)!.utf8), at: position)
                case 4: bytes.remove(at: position)
                default: bytes = Array(bytes.prefix(position))
                }
            }
            let mutated = String(decoding: bytes, as: UTF8.self)
            do {
                let spec = try GenesisFile.parse(mutated, file: "fuzz.toml")
                _ = try? spec.document()
                _ = try? GenesisFile.fillingKeys(mutated, file: "fuzz.toml", keys: GenesisFixtures.keys(for: ["psb"]))
            } catch {
                refused += 1
                // Every refusal of file content names the file and a line.
                if case .missingKeys = error { continue }
                #expect(error.location?.file == "fuzz.toml", "\(error)")
                #expect((error.location?.line ?? 0) >= 1, "\(error)")
            }
        }
        #expect(refused > 0)
    }
}
