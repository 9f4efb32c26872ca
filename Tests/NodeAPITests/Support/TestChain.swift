import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerStore
import LedgerTesting
import Synchronization

/// A four-bureau chain in memory with deterministic keys, and builders for
/// the transactions the API tests need. Adapted from LedgerStateTests'
/// LedgerHarness (test targets cannot import each other). Sendable, because
/// HummingbirdTesting runs test bodies as @Sendable closures.
final class TestChain: Sendable {
    static let genesisTime: UInt64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
    static let day: UInt64 = 86_400_000

    let suite: any CryptoSuite
    let ledger: Ledger
    let genesis: GenesisDocument
    let admins: [String: PrivateKey]
    private struct Counters {
        var rng: SeededGenerator
        var nonce: UInt64 = 0
        var time: UInt64 = TestChain.genesisTime
    }
    private let counters: Mutex<Counters>

    var chain: ChainParameters { ledger.executor.chain }

    init(seed: UInt64 = 1) throws {
        let suite = CryptoSuites.standard
        var rng = SeededGenerator(seed: seed)
        var bureaus: [Bureau] = []
        var admins: [String: PrivateKey] = [:]
        for (id, zh, en, rights) in Self.bureauShapes {
            let node = try Self.key(suite, &rng)
            let admin = try Self.key(suite, &rng)
            admins[id] = admin
            bureaus.append(
                try Bureau(
                    id: BureauID(id), nameZh: zh, nameEn: en, nodeKey: node.publicKey.compressed,
                    adminKey: admin.publicKey.compressed, rights: rights))
        }
        let genesis = try GenesisDocument(
            chainID: ChainID("civic-test")!, suite: .standard, genesisTimeMillis: Self.genesisTime, bureaus: bureaus,
            licenceTypes: Self.catalogue)
        self.suite = suite
        self.genesis = genesis
        self.admins = admins
        ledger = try Ledger(store: InMemoryStore(columnFamilies: LedgerColumns.all), genesis: genesis)
        counters = Mutex(Counters(rng: rng))
    }

    static let catalogue: [LicenceTypeInfo] = [
        ("BUSINESS_LICENCE", "营业执照", "Business Licence", HolderKind.organisation),
        ("DRIVING_LICENCE", "机动车驾驶证", "Motor Vehicle Driving Licence", .person),
        ("RESIDENT_ID_CARD", "居民身份证", "Resident Identity Card", .person),
        ("SOCIAL_SECURITY_CARD", "社会保障卡", "Social Security Card", .person),
    ].map { try! LicenceTypeInfo(code: LicenceTypeCode($0.0), nameZh: $0.1, nameEn: $0.2, holderKind: $0.3) }

    static let bureauShapes: [(String, String, String, BureauRights)] = [
        ("gsdmb", "政务服务数据管理局", "Government Services and Data Management Bureau",
         rights(["SOCIAL_SECURITY_CARD"], offices: true)),
        ("psb", "公安局", "Public Security Bureau", rights(["DRIVING_LICENCE", "RESIDENT_ID_CARD"])),
        ("samr", "市场监管局", "Market Supervision Administration", rights(["BUSINESS_LICENCE"])),
        ("tax", "税务局", "Tax Bureau", rights([], taxpayers: true, auditors: true)),
    ]

    static func rights(_ codes: [String], offices: Bool = false, taxpayers: Bool = false, auditors: Bool = false) -> BureauRights {
        try! BureauRights(
            licenceTypes: codes.map { try! LicenceTypeCode($0) }.sorted(), registersOffices: offices,
            registersTaxpayers: taxpayers, registersAuditors: auditors)
    }

    static func key(_ suite: any CryptoSuite, _ rng: inout SeededGenerator) throws -> PrivateKey {
        while true {
            if let key = try? suite.privateKey(rawScalar: rng.bytes(32)) { return key }
        }
    }

    func newKey() throws -> PrivateKey {
        try counters.withLock { counters in try Self.key(suite, &counters.rng) }
    }

    func admin(_ bureau: String) -> PrivateKey { admins[bureau]! }

    /// The time of the next block: one second after the last.
    func advanceTime(by millis: UInt64 = 1_000) -> UInt64 {
        counters.withLock { counters in
            counters.time += millis
            return counters.time
        }
    }

    var time: UInt64 { counters.withLock { $0.time } }

    /// Signs `operation` with a fresh nonce, so no two built transactions share an id.
    func tx(_ operation: LedgerOperation, by key: PrivateKey) throws -> SignedTransaction {
        let nonce = counters.withLock { counters in
            defer { counters.nonce += 1 }
            return counters.nonce
        }
        return try operation.signed(by: key, chain: chain, nonce: nonce, expiryHeight: 1_000_000)
    }

    func hex(_ tx: SignedTransaction) -> String { Hex.encode(Canonical.encode(tx)) }

    func id(_ tx: SignedTransaction) -> TxID { tx.transaction.id(using: suite) }

    // MARK: Payload builders

    func registration(_ subject: RegistrySubject, key: PrivateKey) throws -> LedgerOperation {
        .register(try Registration(subject: subject, name: "\(subject)", key: key.publicKey.compressed))
    }

    static let document = Array("e-licence file".utf8)

    func licenceIssue(_ type: String, holder: PrivateKey, from: UInt64? = nil, until: UInt64 = LicenceIssue.longTerm) -> LicenceIssue {
        LicenceIssue(
            licenceType: try! LicenceTypeCode(type), holderKey: holder.publicKey.compressed,
            holderCommitment: suite.digest(Array("salt|110101199003071234".utf8)), documentDigest: suite.digest(Self.document),
            validFrom: from ?? Self.genesisTime, validUntil: until)
    }

    func grant(_ licences: [LicenceID], office: String, holder: PrivateKey, maxUses: UInt64 = 3) throws -> SignedConsentGrant {
        let grant = try ConsentGrant(
            chainID: chain.chainID, holder: holder.publicKey.compressed, licences: licences, office: OfficeID(office)!,
            purpose: "办理营业执照变更", notAfter: time + 30 * Self.day, maxUses: maxUses, nonce: 0)
        return try grant.signed(by: holder, suite: suite)
    }

    static let invoiceCode = "144032400110"

    func invoiceIssue(_ number: String, buyer: String, amount: UInt64 = 10_000, tax: UInt64 = 600) throws -> InvoiceIssue {
        try InvoiceIssue(
            invoice: InvoiceID(code: Self.invoiceCode, number: number)!, buyer: TaxpayerID(buyer)!, amountFen: amount,
            taxFen: tax, documentDigest: suite.digest(Array("invoice \(number)".utf8)))
    }

    func invoiceAction(_ number: String, reason: String = "") throws -> InvoiceAction {
        try InvoiceAction(invoice: InvoiceID(code: Self.invoiceCode, number: number)!, reason: reason)
    }
}

/// Credit codes used across tests.
enum Taxpayers {
    static let seller = "91440300MA5DXXXX1A"
    static let buyer = "91440300MA5DYYYY2B"
}
