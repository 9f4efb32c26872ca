import BenchWorkload
import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerStore
import Testing

/// The devnet mix must be what civic-bench claims: the issue-9 proportions,
/// and set-up waves that satisfy every measured transaction's dependency, so
/// that a refusal in a benchmark run means the node refused, not the tool.
@Suite struct DevnetMixTests {
    static let genesisMillis: UInt64 = 1_767_225_600_000

    /// A chain shaped like Genesis/devnet.toml, for the bureaus and licence types the mix uses.
    static func chain(_ suite: SuiteID) throws -> (GenesisDocument, [String: PrivateKey]) {
        let crypto = CryptoSuites.suite(suite)
        let shapes: [(String, [String], Bool, Bool)] = [
            ("gsdmb", ["SOCIAL_SECURITY_CARD"], true, false),
            ("psb", ["DRIVING_LICENCE", "RESIDENT_ID_CARD"], false, false),
            ("samr", [], false, false),
            ("tax", [], false, true),
        ]
        var admins: [String: PrivateKey] = [:]
        var bureaus: [Bureau] = []
        for (id, codes, offices, taxpayers) in shapes {
            let admin = try crypto.generatePrivateKey()
            admins[id] = admin
            bureaus.append(try Bureau(
                id: BureauID(id), nameZh: id, nameEn: id, nodeKey: try crypto.generatePrivateKey().publicKey.compressed,
                adminKey: admin.publicKey.compressed,
                rights: BureauRights(licenceTypes: try codes.map(LicenceTypeCode.init), registersOffices: offices,
                                     registersTaxpayers: taxpayers, registersAuditors: taxpayers)))
        }
        let catalogue = try ["DRIVING_LICENCE", "RESIDENT_ID_CARD", "SOCIAL_SECURITY_CARD"].map {
            try LicenceTypeInfo(code: LicenceTypeCode($0), nameZh: $0, nameEn: $0, holderKind: .person)
        }
        let genesis = try GenesisDocument(
            chainID: ChainID("civic-mix-test")!, suite: suite, genesisTimeMillis: genesisMillis, bureaus: bureaus, licenceTypes: catalogue)
        return (genesis, admins)
    }

    @Test func patternHasTheIssueProportions() {
        var counts: [DevnetMix.Kind: Int] = [:]
        for kind in DevnetMix.pattern { counts[kind, default: 0] += 1 }
        let total = DevnetMix.pattern.count
        #expect(counts[.issueLicence]! * 5 == total)
        #expect(counts[.grantConsent]! * 5 == total)
        #expect(counts[.useConsent]! * 5 == total)
        #expect((counts[.issueInvoice]! + counts[.claimInvoice]! + counts[.reimburseInvoice]!) * 5 == total * 2)
    }

    @Test(arguments: [SuiteID.standard, .guomi])
    func everyMeasuredTransactionIsAcceptedAfterTheSetUpWaves(suite: SuiteID) throws {
        let (genesis, admins) = try Self.chain(suite)
        let chain = ChainParameters(genesis: genesis)
        let ledger = try Ledger(store: InMemoryStore(columnFamilies: LedgerColumns.all), genesis: genesis)
        let now = Self.genesisMillis + 1_000_000
        var mix = try DevnetMix(chain: chain, admins: admins, offices: 4, taxpayers: 6, holders: 5, tag: 424_242, nowMillis: now)
        let measuredCount = 45
        var time = now
        func apply(_ transactions: [PresignedTransaction]) throws -> [Receipt] {
            time += 1_000
            let decoded = try transactions.map { try Canonical.decode(SignedTransaction.self, from: Hex.decode($0.hex)!) }
            #expect(decoded.map { $0.transaction.id(using: chain.suite).description } == transactions.map(\.txid))
            let block = try ledger.nextBlock(transactions: decoded, timeMillis: time, proposer: Address(unchecked: [UInt8](repeating: 1, count: 20)))
            return try ledger.apply(block, signatures: .verify).receipts
        }
        let invoices = DevnetMix.invoicesNeeded(forMeasured: measuredCount)
        for wave in [try mix.registrations(), try mix.issues(licences: 3, invoices: invoices), try mix.grantsAndClaims(grants: 4, maxUses: 100)] {
            let receipts = try apply(wave)
            #expect(receipts.count == wave.count)
            let refused = receipts.filter { !$0.accepted }.map { "\($0.code)" }
            #expect(refused.isEmpty, "\(refused)")
        }
        let measured = try mix.measured(measuredCount)
        #expect(measured.count == measuredCount)
        #expect(Set(measured.map(\.txid)).count == measuredCount)
        let receipts = try apply(measured)
        let refused = receipts.filter { !$0.accepted }.map { "\($0.code)" }
        #expect(refused.isEmpty, "\(refused)")
    }

    @Test func tooFewInvoicesIsAnErrorNotACrash() throws {
        let (genesis, admins) = try Self.chain(.standard)
        var mix = try DevnetMix(
            chain: ChainParameters(genesis: genesis), admins: admins, offices: 2, taxpayers: 2, holders: 2, tag: 1, nowMillis: Self.genesisMillis)
        _ = try mix.registrations()
        _ = try mix.issues(licences: 1, invoices: 0)
        _ = try mix.grantsAndClaims(grants: 1, maxUses: 10)
        #expect(throws: MixError.self) { try mix.measured(15) }
    }
}
