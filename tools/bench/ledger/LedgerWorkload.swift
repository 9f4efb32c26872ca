import BenchWorkload
import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerTesting

/// A city in miniature: four bureaus, offices, taxpayers and holders, and
/// blocks of mixed transactions that mostly succeed, the way a live chain's
/// traffic does. Ids come from the receipts, as a client would learn them.
struct LedgerWorkload {
    let suite: any CryptoSuite
    let genesis: GenesisDocument
    var chain: ChainParameters { ChainParameters(genesis: genesis) }
    var admins: [String: PrivateKey] = [:]
    var rng: SeededGenerator
    let holders: [PrivateKey]
    let offices: [(id: OfficeID, key: PrivateKey)]
    let taxpayers: [(id: TaxpayerID, key: PrivateKey)]
    private var nonce: UInt64 = 0
    private var invoiceCounter = 0

    private var licences: [(id: LicenceID, holder: Int)] = []
    private var grants: [(id: ConsentID, licence: LicenceID, office: Int, usesLeft: Int)] = []
    private var issuedInvoices: [(id: InvoiceID, buyer: Int, seller: Int)] = []
    private var claimedInvoices: [(id: InvoiceID, buyer: Int, seller: Int)] = []
    private var pending: [TxID: Pending] = [:]

    private enum Pending {
        case licence(holder: Int)
        case grant(ConsentID, LicenceID, office: Int, uses: Int)
        case invoice(InvoiceID, buyer: Int, seller: Int)
        case claim(InvoiceID, buyer: Int, seller: Int)
    }

    static func key(_ suite: any CryptoSuite, _ rng: inout SeededGenerator) -> PrivateKey {
        while true {
            if let key = try? suite.privateKey(rawScalar: rng.bytes(32)) { return key }
        }
    }

    init(suite id: SuiteID, seed: UInt64, holders holderCount: Int = 1_000) throws {
        let suite = CryptoSuites.suite(id)
        self.suite = suite
        var rng = SeededGenerator(seed: seed)
        let shapes: [(String, String, String, [String], Bool, Bool)] = [
            ("gsdmb", "政务服务数据管理局", "Government Services and Data Management Bureau", ["SOCIAL_SECURITY_CARD"], true, false),
            ("psb", "公安局", "Public Security Bureau", ["RESIDENT_ID_CARD"], false, false),
            ("samr", "市场监管局", "Market Supervision Administration", ["BUSINESS_LICENCE"], false, false),
            ("tax", "税务局", "Tax Bureau", [], false, true),
        ]
        var bureaus: [Bureau] = []
        for (id, zh, en, codes, offices, taxpayers) in shapes {
            let admin = Self.key(suite, &rng)
            admins[id] = admin
            bureaus.append(try Bureau(
                id: BureauID(id), nameZh: zh, nameEn: en, nodeKey: Self.key(suite, &rng).publicKey.compressed,
                adminKey: admin.publicKey.compressed,
                rights: BureauRights(licenceTypes: try codes.map(LicenceTypeCode.init), registersOffices: offices,
                                     registersTaxpayers: taxpayers, registersAuditors: taxpayers)))
        }
        let catalogue = try [
            ("BUSINESS_LICENCE", "营业执照", "Business Licence", HolderKind.organisation),
            ("RESIDENT_ID_CARD", "居民身份证", "Resident Identity Card", .person),
            ("SOCIAL_SECURITY_CARD", "社会保障卡", "Social Security Card", .person),
        ].map { try LicenceTypeInfo(code: LicenceTypeCode($0.0), nameZh: $0.1, nameEn: $0.2, holderKind: $0.3) }
        genesis = try GenesisDocument(
            chainID: ChainID("civic-bench")!, suite: id, genesisTimeMillis: 1_767_225_600_000, bureaus: bureaus,
            licenceTypes: catalogue)
        var holders: [PrivateKey] = []
        for _ in 0..<holderCount { holders.append(Self.key(suite, &rng)) }
        var offices: [(id: OfficeID, key: PrivateKey)] = []
        for index in 0..<20 { offices.append((OfficeID("counter-\(index)")!, Self.key(suite, &rng))) }
        var taxpayers: [(id: TaxpayerID, key: PrivateKey)] = []
        for index in 0..<200 {
            taxpayers.append((TaxpayerID("9144030000000" + String(10_000 + index).suffix(5))!, Self.key(suite, &rng)))
        }
        self.holders = holders
        self.offices = offices
        self.taxpayers = taxpayers
        self.rng = rng
    }

    private mutating func sign(_ operation: LedgerOperation, by key: PrivateKey) throws -> SignedTransaction {
        nonce += 1
        return try operation.signed(by: key, chain: chain, nonce: nonce, expiryHeight: Height(UInt64.max))
    }

    /// Registers every office and taxpayer.
    mutating func setup() throws -> [SignedTransaction] {
        var out: [SignedTransaction] = []
        for office in offices {
            out.append(try sign(MixOperations.registerOffice(office.id, key: office.key), by: admins["gsdmb"]!))
        }
        for payer in taxpayers {
            out.append(try sign(MixOperations.registerTaxpayer(payer.id, key: payer.key), by: admins["tax"]!))
        }
        return out
    }

    private mutating func index(_ count: Int) -> Int { Int.random(in: 0..<count, using: &rng) }

    /// About a quarter licence issues, 15 % grants, 15 % uses, a quarter
    /// invoice issues, and claims, reimbursements and reversals; kinds that
    /// have nothing to act on yet fall back to issues.
    mutating func block(size: Int, timeMillis: UInt64) throws -> [SignedTransaction] {
        var out: [SignedTransaction] = []
        out.reserveCapacity(size)
        let types: [(String, String)] = [("psb", "RESIDENT_ID_CARD"), ("samr", "BUSINESS_LICENCE"), ("gsdmb", "SOCIAL_SECURITY_CARD")]
        while out.count < size {
            let roll = index(100)
            if roll < 15, !grants.isEmpty {
                let pick = index(grants.count)
                let grant = grants[pick]
                grants[pick].usesLeft -= 1
                if grants[pick].usesLeft == 0 { grants.swapAt(pick, grants.count - 1); grants.removeLast() }
                out.append(try sign(MixOperations.useConsent(grant.id, licence: grant.licence), by: offices[grant.office].key))
            } else if roll < 30, !licences.isEmpty {
                let licence = licences[index(licences.count)]
                let office = index(offices.count)
                let (operation, consent) = try MixOperations.grantConsent(
                    holder: holders[licence.holder], licence: licence.id, office: offices[office].id,
                    notAfter: timeMillis + 86_400_000, maxUses: 3, nonce: rng.next(), chain: chain)
                let tx = try sign(operation, by: holders[licence.holder])
                pending[tx.transaction.id(using: suite)] = .grant(consent, licence.id, office: office, uses: 3)
                out.append(tx)
            } else if roll < 40, !issuedInvoices.isEmpty {
                let invoice = issuedInvoices.removeLast()
                let tx = try sign(MixOperations.claimInvoice(invoice.id), by: taxpayers[invoice.buyer].key)
                pending[tx.transaction.id(using: suite)] = .claim(invoice.id, buyer: invoice.buyer, seller: invoice.seller)
                out.append(tx)
            } else if roll < 48, !claimedInvoices.isEmpty {
                let invoice = claimedInvoices.removeLast()
                out.append(try sign(MixOperations.reimburseInvoice(invoice.id), by: taxpayers[invoice.buyer].key))
            } else if roll < 50, !claimedInvoices.isEmpty {
                let invoice = claimedInvoices.removeLast()
                out.append(try sign(MixOperations.reverseInvoice(invoice.id), by: taxpayers[invoice.seller].key))
            } else if roll < 75 {
                invoiceCounter += 1
                let seller = index(taxpayers.count)
                var buyer = index(taxpayers.count)
                if buyer == seller { buyer = (buyer + 1) % taxpayers.count }
                let id = InvoiceID(code: "144032400110", number: String(10_000_000 + invoiceCounter))!
                let operation = try MixOperations.issueInvoice(
                    id, buyer: taxpayers[buyer].id, amountFen: UInt64(index(1_000_000) + 1), salt: rng.bytes(8), suite: suite)
                let tx = try sign(operation, by: taxpayers[seller].key)
                pending[tx.transaction.id(using: suite)] = .invoice(id, buyer: buyer, seller: seller)
                out.append(tx)
            } else {
                let (bureau, type) = types[index(types.count)]
                let holder = index(holders.count)
                let operation = try MixOperations.issueLicence(type: type, holder: holders[holder], salt: rng.bytes(16), suite: suite)
                let tx = try sign(operation, by: admins[bureau]!)
                pending[tx.transaction.id(using: suite)] = .licence(holder: holder)
                out.append(tx)
            }
        }
        return out
    }

    /// Learns the ids the accepted transactions created.
    mutating func learn(_ receipts: [Receipt]) {
        for receipt in receipts {
            guard let what = pending.removeValue(forKey: receipt.transaction), receipt.accepted else { continue }
            switch what {
            case let .licence(holder): licences.append((LicenceID(issuedBy: receipt.transaction), holder))
            case let .grant(id, licence, office, uses): grants.append((id, licence, office, uses))
            case let .invoice(id, buyer, seller): issuedInvoices.append((id, buyer, seller))
            case let .claim(id, buyer, seller): claimedInvoices.append((id, buyer, seller))
            }
        }
        pending.removeAll(keepingCapacity: true)
    }
}
