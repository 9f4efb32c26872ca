import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerTesting
import Testing

@Suite("Genesis canonical encoding")
struct GenesisEncodingTests {
    @Test("Random documents round-trip exactly")
    func roundTrip() throws {
        var rng = SeededGenerator(seed: 20)
        for _ in 0..<60 {
            let document = GenesisSamples.random(&rng)
            let bytes = Canonical.encode(document)
            #expect(try Canonical.decode(GenesisDocument.self, from: bytes) == document)
        }
        let devnet = GenesisSamples.devnet(&rng)
        #expect(try Canonical.decode(GenesisDocument.self, from: Canonical.encode(devnet)) == devnet)
    }

    @Test("The raw test encoder writes exactly what the type writes")
    func rawMatches() {
        var rng = SeededGenerator(seed: 21)
        for _ in 0..<20 {
            let document = GenesisSamples.random(&rng)
            #expect(RawGenesis(document).encoded() == Canonical.encode(document))
        }
    }

    /// Each case breaks one rule in an otherwise valid encoding.
    @Test("Broken encodings are refused with the field that broke", arguments: Breakage.all)
    func refused(_ breakage: Breakage) {
        var rng = SeededGenerator(seed: 22)
        var raw = RawGenesis(GenesisSamples.devnet(&rng))
        breakage.apply(&raw)
        #expect {
            try Canonical.decode(GenesisDocument.self, from: raw.encoded())
        } throws: { error in
            guard case .invalidField(let type, let found, _) = error as? CanonicalError else { return false }
            return type == "GenesisDocument" && found == breakage.field
        }
    }

    @Test("Unknown versions are refused")
    func version() {
        var rng = SeededGenerator(seed: 23)
        var raw = RawGenesis(GenesisSamples.devnet(&rng))
        raw.version = 2
        #expect(throws: CanonicalError.unsupportedVersion(type: "GenesisDocument", found: 2, supported: [1])) {
            try Canonical.decode(GenesisDocument.self, from: raw.encoded())
        }
    }

    @Test("Lists over their caps are refused while reading")
    func overCaps() {
        var rng = SeededGenerator(seed: 24)
        var raw = RawGenesis(GenesisSamples.devnet(&rng))
        let template = raw.bureaus[0]
        raw.bureaus = (0..<65).map { index in
            var bureau = template
            bureau.id = "b" + String(1000 + index)
            bureau.nodeKey = GenesisSamples.key(&rng).bytes
            bureau.adminKey = GenesisSamples.key(&rng).bytes
            bureau.codes = []
            return bureau
        }
        #expect(throws: CanonicalError.invalidField(type: "GenesisDocument", field: "bureaus", reason: "more than 64 elements")) {
            try Canonical.decode(GenesisDocument.self, from: raw.encoded())
        }
    }

    @Test("Input over the size cap is refused before parsing")
    func oversize() {
        let bytes = [UInt8](repeating: 0, count: GenesisDocument.maxEncodedSize + 1)
        #expect(throws: CanonicalError.tooLarge(type: "GenesisDocument", size: bytes.count, limit: GenesisDocument.maxEncodedSize)) {
            try Canonical.decode(GenesisDocument.self, from: bytes)
        }
    }

    @Test("The largest document the caps allow encodes under the size cap")
    func largestFits() throws {
        var rng = SeededGenerator(seed: 25)
        let longZh = String(repeating: "证", count: 42) + "AB"
        let longEn = String(repeating: "L", count: 128)
        let types = try (0..<GenesisDocument.maxLicenceTypes).map { index in
            try LicenceTypeInfo(
                code: LicenceTypeCode("T" + String(repeating: "0", count: 27) + String(1000 + index)),
                nameZh: longZh, nameEn: longEn, holderKind: .organisation)
        }
        let codes = types.map(\.code)
        let bureaus = try (0..<GenesisDocument.maxBureaus).map { index in
            try Bureau(
                id: BureauID("b" + String(repeating: "0", count: 27) + String(1000 + index)), nameZh: longZh,
                nameEn: longEn, nodeKey: GenesisSamples.key(&rng), adminKey: GenesisSamples.key(&rng),
                rights: BureauRights(licenceTypes: codes, registersOffices: true, registersTaxpayers: true, registersAuditors: true))
        }
        let document = try GenesisDocument(
            chainID: ChainID(String(repeating: "c", count: 64))!, suite: .standard, genesisTimeMillis: .max,
            checkpointInterval: 1024, bureaus: bureaus, licenceTypes: types)
        // Encoding checks the cap itself (a precondition); decoding 1.3 MB is
        // left to the round-trip tests' smaller documents to keep this quick.
        let bytes = Canonical.encode(document)
        #expect(bytes.count <= GenesisDocument.maxEncodedSize)
    }

    @Test("Mutated encodings never trap and are accepted only when canonical", arguments: [31, 32] as [UInt64])
    func mutations(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        for _ in 0..<400 {
            var bytes = Canonical.encode(GenesisSamples.random(&rng))
            let position = Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: bytes[position] ^= 1 << UInt8.random(in: 0...7, using: &rng)
            case 1: bytes[position] = UInt8.random(in: 0...255, using: &rng)
            case 2: bytes.remove(at: position)
            default: bytes = Array(bytes.prefix(position))
            }
            if let decoded = try? Canonical.decode(GenesisDocument.self, from: bytes) {
                #expect(Canonical.encode(decoded) == bytes)
            }
        }
    }
}

struct Breakage: Sendable, CustomTestStringConvertible {
    let name: String
    let field: String
    let apply: @Sendable (inout RawGenesis) -> Void

    init(_ name: String, _ field: String, apply: @escaping @Sendable (inout RawGenesis) -> Void) {
        self.name = name
        self.field = field
        self.apply = apply
    }

    var testDescription: String { name }

    static let all: [Breakage] = [
        Breakage("bureaus out of order", "bureaus") { raw in raw.bureaus.swapAt(0, 1) },
        Breakage("duplicate bureau", "bureaus") { raw in raw.bureaus[1].id = raw.bureaus[0].id },
        Breakage("types out of order", "licenceTypes") { raw in raw.types.swapAt(1, 2) },
        Breakage("duplicate type", "licenceTypes") { raw in raw.types[2] = raw.types[1] },
        Breakage("rights out of order", "bureaus.psb.rights.licenceTypes") { raw in raw.bureaus[1].codes.reverse() },
        Breakage("duplicate right", "bureaus.psb.rights.licenceTypes") { raw in raw.bureaus[1].codes.append(raw.bureaus[1].codes.last!) },
        Breakage("unknown right", "document") { raw in raw.bureaus[3].codes = ["TAX_CLEARANCE"] },
        Breakage("bad code", "licenceTypes.code") { raw in raw.types[0].code = "business" },
        Breakage("bad bureau id", "bureaus.id") { raw in raw.bureaus[0].id = "GSDMB" },
        Breakage("bad chain id", "chainID") { raw in raw.chainID = "Civic" },
        Breakage("unknown suite", "suite") { raw in raw.suite = "rsa" },
        Breakage("unknown holder kind", "licenceTypes.holderKind") { raw in raw.types[0].holderKind = "robot" },
        Breakage("oversize name", "bureaus.gsdmb.nameZh") { raw in raw.bureaus[0].nameZh = String(repeating: "局", count: 43) },
        Breakage("empty name", "bureaus.gsdmb") { raw in raw.bureaus[0].nameEn = "" },
        Breakage("short key", "bureaus.psb.nodeKey") { raw in raw.bureaus[1].nodeKey.removeLast() },
        Breakage("uncompressed key prefix", "bureaus.psb.adminKey") { raw in raw.bureaus[1].adminKey[0] = 4 },
        Breakage("shared key", "document") { raw in raw.bureaus[2].nodeKey = raw.bureaus[0].adminKey },
        Breakage("three bureaus", "document") { raw in raw.bureaus.removeLast() },
        Breakage("checkpoint interval 0", "document") { raw in raw.interval = 0 },
    ]
}
