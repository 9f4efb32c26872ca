import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerTesting

/// Random blocks of valid and invalid transactions over a small world, so that
/// collisions (duplicate ids, wrong senders, used-up grants) happen often.
/// It learns ids from the receipts it is shown, the way a client would.
struct RandomWorkload {
    let h: LedgerHarness
    var rng: SeededGenerator
    let holders: [PrivateKey]
    let offices: [(id: String, key: PrivateKey)]
    let taxpayers: [(id: String, key: PrivateKey)]
    let strangers: [PrivateKey]
    var licences: [LicenceID] = []
    var consents: [(id: ConsentID, licences: [LicenceID])] = []
    var invoiceNumbers: [String] = []
    var governanceSequence: UInt64 = 0

    static let types = ["BUSINESS_LICENCE", "DRIVING_LICENCE", "MARRIAGE_CERTIFICATE", "RESIDENT_ID_CARD", "SOCIAL_SECURITY_CARD", "NO_SUCH_TYPE"]
    static let bureaus = ["gsdmb", "psb", "samr", "tax"]

    init(harness: LedgerHarness, seed: UInt64) throws {
        h = harness
        rng = SeededGenerator(seed: seed)
        holders = try (0..<6).map { _ in try harness.newKey() }
        offices = try (0..<3).map { ("counter-\($0)", try harness.newKey()) }
        taxpayers = try ["91440300MA5D00001A", "91440300MA5D00002B", "91440300MA5D00003C"].map { ($0, try harness.newKey()) }
        strangers = try (0..<2).map { _ in try harness.newKey() }
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }
    mutating func chance(_ percent: Int) -> Bool { Int.random(in: 0..<100, using: &rng) < percent }

    mutating func anyKey() -> PrivateKey {
        pick(holders + offices.map(\.key) + taxpayers.map(\.key) + strangers + Self.bureaus.map { h.admin($0) })
    }

    mutating func licence() throws -> LicenceID {
        licences.isEmpty || chance(5) ? LicenceID(h.suite.digest(rng.bytes(8))) : pick(licences)
    }

    /// One random transaction, signed.
    mutating func transaction() throws -> SignedTransaction {
        let roll = Int.random(in: 0..<100, using: &rng)
        switch roll {
        case 0..<8:
            let office = pick(offices)
            return try h.tx(.register(Registration(subject: .office(OfficeID(office.id)!), name: office.id, key: office.key.publicKey.compressed)), by: h.admin(chance(85) ? "gsdmb" : pick(Self.bureaus)))
        case 8..<14:
            let payer = pick(taxpayers)
            return try h.tx(.register(Registration(subject: .taxpayer(TaxpayerID(payer.id)!), name: payer.id, key: payer.key.publicKey.compressed)), by: h.admin(chance(85) ? "tax" : pick(Self.bureaus)))
        case 14..<30:
            let issue = h.licenceIssue(pick(Self.types), holder: pick(holders), until: chance(20) ? h.time + UInt64.random(in: 0...20_000, using: &rng) : LicenceIssue.longTerm)
            return try h.tx(.issueLicence(issue), by: chance(90) ? h.admin(pick(Self.bureaus)) : anyKey())
        case 30..<38:
            let change = try LicenceStatusChange(licence: licence(), reason: "r")
            let op: LedgerOperation = [.suspendLicence(change), .reinstateLicence(change), .revokeLicence(change)][Int.random(in: 0..<3, using: &rng)]
            return try h.tx(op, by: h.admin(pick(Self.bureaus)))
        case 38..<41:
            let replacement = h.licenceIssue(pick(Self.types), holder: pick(holders))
            return try h.tx(.supersedeLicence(LicenceSupersession(old: licence(), replacement: replacement)), by: h.admin(pick(Self.bureaus)))
        case 41..<55:
            let holder = pick(holders)
            let chosen = try Array(Set((0..<Int.random(in: 1...2, using: &rng)).map { _ in try licence() }))
            let signed = try h.grant(
                chosen, office: pick(offices).id, holder: holder, notAfter: h.time + UInt64.random(in: 0...30_000, using: &rng),
                maxUses: UInt64.random(in: 1...3, using: &rng), nonce: rng.next(), signer: chance(90) ? holder : pick(strangers))
            consents.append((signed.grant.id(using: h.suite), signed.grant.licences))
            return try h.tx(.grantConsent(signed), by: chance(50) ? holder : pick(offices).key)
        case 55..<60:
            guard let consent = consents.isEmpty ? nil : pick(consents) else { return try garbage() }
            return try h.tx(.revokeConsent(ConsentAction(consent: consent.id, licence: nil)), by: chance(70) ? pick(holders) : anyKey())
        case 60..<72:
            guard let consent = consents.isEmpty ? nil : pick(consents) else { return try garbage() }
            let licence = chance(90) ? pick(consent.licences) : try licence()
            return try h.tx(.useConsent(ConsentAction(consent: consent.id, licence: licence)), by: pick(offices).key)
        case 72..<82:
            let number = "000000" + String(10 + Int.random(in: 0...11, using: &rng))
            invoiceNumbers.append(number)
            let seller = pick(taxpayers)
            let issue = try h.invoiceIssue(number, buyer: pick(taxpayers).id, amount: UInt64.random(in: 1...1_000_000, using: &rng), tax: UInt64.random(in: 0...60_000, using: &rng))
            return try h.tx(.issueInvoice(issue), by: chance(90) ? seller.key : anyKey())
        case 82..<94:
            guard !invoiceNumbers.isEmpty else { return try garbage() }
            let action = try h.invoiceAction(pick(invoiceNumbers), reason: chance(80) ? "r" : "")
            let op: LedgerOperation = [.claimInvoice(action), .reimburseInvoice(action), .reimburseInvoice(action), .reverseInvoice(action)][Int.random(in: 0..<4, using: &rng)]
            return try h.tx(op, by: pick(taxpayers).key)
        case 96..<97:
            let subject: RegistrySubject = chance(50) ? .office(OfficeID(pick(offices).id)!) : .taxpayer(TaxpayerID(pick(taxpayers).id)!)
            return try h.tx(.disable(Disablement(subject: subject, reason: "")), by: h.admin(pick(Self.bureaus)))
        case 97..<98:
            let office = pick(offices)
            let signer = chance(50) ? office.key : h.admin(pick(Self.bureaus))
            return try h.tx(.rotateKey(KeyRotation(subject: .registered(.office(OfficeID(office.id)!)), newKey: pick(strangers).publicKey.compressed)), by: signer)
        case 98..<99:
            let id = pick(["mca", "nhc"])
            let action: GovernanceAction = chance(60)
                ? .addBureau(try Bureau(
                    id: BureauID(id), nameZh: "局", nameEn: "Bureau", nodeKey: pick(strangers).publicKey.compressed,
                    adminKey: pick(holders).publicKey.compressed, rights: LedgerHarness.rights(["MARRIAGE_CERTIFICATE"])))
                : .removeBureau(try BureauID(id))
            let approvers = Array(Self.bureaus.shuffled(using: &rng).prefix(Int.random(in: 3...4, using: &rng)))
            return try h.tx(try ReasonScenario.approved(h, action, by: approvers, sequence: governanceSequence), by: h.admin(pick(Self.bureaus)))
        case 94..<96:
            let approvers = Array(Self.bureaus.shuffled(using: &rng).prefix(Int.random(in: 2...4, using: &rng)))
            let rights = LedgerHarness.rights(chance(50) ? ["BUSINESS_LICENCE"] : ["BUSINESS_LICENCE", "DRIVING_LICENCE"])
            let op = try ReasonScenario.approved(h, .setRights(BureauID("samr"), rights), by: approvers, sequence: chance(80) ? governanceSequence : governanceSequence + 1)
            return try h.tx(op, by: h.admin(pick(Self.bureaus)))
        default:
            return try garbage()
        }
    }

    /// A well-signed envelope whose payload is noise or from another kind.
    mutating func garbage() throws -> SignedTransaction {
        let key = anyKey()
        let kind = chance(50) ? UInt16.random(in: 0...100, using: &rng) : pick(TransactionKind.allCases).rawValue
        let tx = try Transaction(
            chainID: h.chain.chainID, sender: key.publicKey.compressed, nonce: rng.next(),
            expiryHeight: Height(UInt64.random(in: 0...40, using: &rng)), kind: kind, payload: rng.bytes(Int.random(in: 0...40, using: &rng)))
        return try SignedTransaction(transaction: tx, signature: h.suite.sign(tx.signingMessage, with: key))
    }

    /// Learns the ids the receipts reveal, as a client reading them would.
    mutating func learn(from block: Block, receipts: [Receipt]) throws {
        for (signed, receipt) in zip(block.transactions, receipts) where receipt.accepted {
            switch signed.transaction.kind {
            case TransactionKind.issueLicence.rawValue, TransactionKind.supersedeLicence.rawValue:
                licences.append(LicenceID(issuedBy: receipt.transaction))
            case TransactionKind.governance.rawValue:
                governanceSequence += 1
            default: break
            }
        }
    }
}
