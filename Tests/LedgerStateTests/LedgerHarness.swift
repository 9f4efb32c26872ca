import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerStore
import LedgerTesting

/// A four-bureau chain on a store, with deterministic keys and helpers that
/// build, sign and apply transactions the way a client would.
final class LedgerHarness {
    typealias Key = PrivateKey
    static let genesisTime: UInt64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
    static let day: UInt64 = 86_400_000

    let suite: any CryptoSuite
    let ledger: Ledger
    let genesis: GenesisDocument
    var chain: ChainParameters { ledger.executor.chain }
    private(set) var admins: [String: PrivateKey] = [:]
    var rng: SeededGenerator
    var time: UInt64 = LedgerHarness.genesisTime
    /// Nonces only make equal operations distinct; a counter does that.
    private var nextNonce: UInt64 = 0
    /// The outcome of the last block applied, batch included.
    private(set) var lastExecution: BlockExecution?

    init(seed: UInt64 = 1, suite: SuiteID = .standard, store: (any KeyValueStore)? = nil) throws {
        self.suite = CryptoSuites.suite(suite)
        var rng = SeededGenerator(seed: seed)
        var bureaus: [Bureau] = []
        var admins: [String: PrivateKey] = [:]
        for (id, zh, en, rights) in Self.bureauShapes {
            let node = try Self.key(self.suite, &rng)
            let admin = try Self.key(self.suite, &rng)
            admins[id] = admin
            bureaus.append(
                try Bureau(
                    id: BureauID(id), nameZh: zh, nameEn: en, nodeKey: node.publicKey.compressed,
                    adminKey: admin.publicKey.compressed, rights: rights))
        }
        genesis = try GenesisDocument(
            chainID: ChainID("civic-test")!, suite: suite, genesisTimeMillis: Self.genesisTime, bureaus: bureaus,
            licenceTypes: Self.catalogue)
        ledger = try Ledger(store: store ?? InMemoryStore(columnFamilies: LedgerColumns.all), genesis: genesis)
        self.admins = admins
        self.rng = rng
    }

    static let catalogue: [LicenceTypeInfo] = [
        ("BUSINESS_LICENCE", "营业执照", "Business Licence", HolderKind.organisation),
        ("DRIVING_LICENCE", "机动车驾驶证", "Motor Vehicle Driving Licence", .person),
        ("MARRIAGE_CERTIFICATE", "结婚证", "Marriage Certificate", .person),
        ("RESIDENT_ID_CARD", "居民身份证", "Resident Identity Card", .person),
        ("SOCIAL_SECURITY_CARD", "社会保障卡", "Social Security Card", .person),
    ].map { try! LicenceTypeInfo(code: LicenceTypeCode($0.0), nameZh: $0.1, nameEn: $0.2, holderKind: $0.3) }

    static let bureauShapes: [(String, String, String, BureauRights)] = [
        ("gsdmb", "政务服务数据管理局", "Government Services and Data Management Bureau",
         rights(["MARRIAGE_CERTIFICATE", "SOCIAL_SECURITY_CARD"], offices: true)),
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

    func newKey() throws -> PrivateKey { try Self.key(suite, &rng) }

    func admin(_ bureau: String) -> PrivateKey { admins[bureau]! }

    // MARK: Transactions

    /// Signs `operation` with a fresh nonce, so no two built transactions share an id.
    func tx(
        _ operation: LedgerOperation, by key: PrivateKey, nonce: UInt64? = nil, expiry: Height = 1_000_000
    ) throws -> SignedTransaction {
        let chosen = nonce ?? nextNonce
        nextNonce += 1
        return try operation.signed(by: key, chain: chain, nonce: chosen, expiryHeight: expiry)
    }

    /// Applies one block `advance` milliseconds after the previous one.
    @discardableResult
    func block(_ transactions: [SignedTransaction], advance: UInt64 = 1_000) throws -> [Receipt] {
        time += advance
        let block = try ledger.nextBlock(transactions: transactions, timeMillis: time, proposer: Address(unchecked: [UInt8](repeating: 1, count: 20)))
        let execution = try ledger.apply(block)
        lastExecution = execution
        return execution.receipts
    }

    /// One transaction in a block of its own.
    @discardableResult
    func run(_ operation: LedgerOperation, by key: PrivateKey, advance: UInt64 = 1_000) throws -> Receipt {
        try block([tx(operation, by: key)], advance: advance)[0]
    }

    func queries<T>(_ body: (LedgerQueries) throws -> T) throws -> T {
        let queries = try ledger.queries()
        defer { queries.close() }
        return try body(queries)
    }

    // MARK: Domain shortcuts (each expects success)

    @discardableResult
    func expectOK(_ receipt: Receipt, _ what: String = "") throws -> Receipt {
        guard receipt.accepted else { throw HarnessError.refused("\(what): \(receipt.code.rawValue) \(receipt.message)") }
        return receipt
    }

    func register(_ subject: RegistrySubject, by bureau: String) throws -> PrivateKey {
        let key = try newKey()
        try expectOK(
            run(.register(Registration(subject: subject, name: "\(subject)", key: key.publicKey.compressed)), by: admin(bureau)),
            "register \(subject)")
        return key
    }

    func office(_ id: String) throws -> PrivateKey { try register(.office(OfficeID(id)!), by: "gsdmb") }
    func taxpayer(_ id: String) throws -> PrivateKey { try register(.taxpayer(TaxpayerID(id)!), by: "tax") }

    func licenceIssue(
        _ type: String, holder: PrivateKey, from: UInt64? = nil, until: UInt64 = LicenceIssue.longTerm,
        document: [UInt8] = Array("document".utf8)
    ) -> LicenceIssue {
        LicenceIssue(
            licenceType: try! LicenceTypeCode(type), holderKey: holder.publicKey.compressed,
            holderCommitment: suite.digest(Array("salt|110101199003071234".utf8)), documentDigest: suite.digest(document),
            validFrom: from ?? Self.genesisTime, validUntil: until)
    }

    func issue(_ type: String, to holder: PrivateKey, by bureau: String, from: UInt64? = nil, until: UInt64 = LicenceIssue.longTerm) throws -> LicenceID {
        let receipt = try expectOK(run(.issueLicence(licenceIssue(type, holder: holder, from: from, until: until)), by: admin(bureau)), "issue")
        return LicenceID(issuedBy: receipt.transaction)
    }

    func grant(
        _ licences: [LicenceID], office: String, holder: PrivateKey, notAfter: UInt64? = nil, maxUses: UInt64 = 3,
        nonce: UInt64 = 0, signer: PrivateKey? = nil, chainID: ChainID? = nil
    ) throws -> SignedConsentGrant {
        let grant = try ConsentGrant(
            chainID: chainID ?? chain.chainID, holder: holder.publicKey.compressed, licences: licences,
            office: OfficeID(office)!, purpose: "办理营业执照变更", notAfter: notAfter ?? (time + Self.day), maxUses: maxUses,
            nonce: nonce)
        return try grant.signed(by: signer ?? holder, suite: suite)
    }

    func invoiceIssue(_ number: String, buyer: String, amount: UInt64 = 10_000, tax: UInt64 = 600) throws -> InvoiceIssue {
        try InvoiceIssue(
            invoice: InvoiceID(code: "144032400110", number: number)!, buyer: TaxpayerID(buyer)!, amountFen: amount,
            taxFen: tax, documentDigest: suite.digest(Array("invoice \(number)".utf8)))
    }

    func invoiceAction(_ number: String, reason: String = "") throws -> InvoiceAction {
        try InvoiceAction(invoice: InvoiceID(code: "144032400110", number: number)!, reason: reason)
    }

    func root() throws -> Digest { try ledger.head().stateRoot }
}

enum HarnessError: Error, CustomStringConvertible {
    case refused(String)
    var description: String {
        switch self {
        case let .refused(text): return "refused: \(text)"
        }
    }
}

/// Two taxpayers' credit codes used across tests.
enum Taxpayers {
    static let seller = "91440300MA5DXXXX1A"
    static let buyer = "91440300MA5DYYYY2B"
    static let other = "91440300MA5DZZZZ3C"
}
