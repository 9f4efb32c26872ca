import LedgerCore
import LedgerCrypto
import LedgerState

/// A pre-signed transaction as civic-bench submits it: its id (to match the
/// receipt) and its canonical DER in hex (the API's wire form).
public struct PresignedTransaction: Sendable {
    public let id: TxID
    public let txid: String
    public let hex: String
    /// Length of the signed DER: the "raw bytes" of the on-disk ratio.
    public var bytes: Int { hex.utf8.count / 2 }

    public init(_ transaction: SignedTransaction, suite: any CryptoSuite) {
        id = transaction.transaction.id(using: suite)
        txid = id.description
        hex = Hex.encode(Canonical.encode(transaction))
    }
}

/// The issue-9 mix against a live devnet, every transaction signed before the
/// clock starts. Dependencies are met by set-up waves that commit before any
/// measured transaction is sent, so no measured transaction waits on another:
///
/// 1. register offices and taxpayers;
/// 2. issue the licences that grants name, and the invoices that claims and
///    reimbursements act on (ids are known in advance: a licence's id is its
///    issuing transaction's id, an invoice's is chosen here);
/// 3. grant consents (their ids are the grant bodies' hashes) and claim half
///    of those invoices.
///
/// The measured stream repeats 15 slots: 3 licence issues, 3 consent grants,
/// 3 consent uses (20 % each), 2 invoice issues, 2 claims, 2 reimbursements
/// (40 % invoices together).
public struct DevnetMix {
    public static let pattern: [Kind] = [
        .issueLicence, .grantConsent, .useConsent, .issueInvoice, .claimInvoice,
        .issueLicence, .grantConsent, .useConsent, .reimburseInvoice,
        .issueLicence, .grantConsent, .useConsent, .issueInvoice, .claimInvoice, .reimburseInvoice,
    ]

    public enum Kind: String, Sendable, CaseIterable {
        case issueLicence, grantConsent, useConsent, issueInvoice, claimInvoice, reimburseInvoice
    }

    public let chain: ChainParameters
    public let offices: [(id: OfficeID, key: PrivateKey)]
    public let taxpayers: [(id: TaxpayerID, key: PrivateKey)]
    let holders: [PrivateKey]
    let admins: [String: PrivateKey]
    let tag: UInt64
    let nowMillis: UInt64
    var nonce: UInt64
    var invoiceCounter: UInt64 = 0
    var slot = 0

    var licences: [(id: LicenceID, holder: Int)] = []
    public private(set) var grants: [(id: ConsentID, licence: LicenceID, office: Int)] = []
    var toClaim: [(id: InvoiceID, buyer: Int)] = []
    var toReimburse: [(id: InvoiceID, buyer: Int)] = []
    var useCursor = 0

    /// - Parameters:
    ///   - admins: bureau id → admin key (gsdmb registers offices, tax registers
    ///     taxpayers, psb / samr / gsdmb issue licences).
    ///   - tag: distinct per run (e.g. the wall clock), so that a second run on
    ///     the same chain makes new ids and nonces.
    public init(
        chain: ChainParameters, admins: [String: PrivateKey], offices officeCount: Int, taxpayers taxpayerCount: Int,
        holders holderCount: Int, tag: UInt64, nowMillis: UInt64
    ) throws {
        self.chain = chain
        self.admins = admins
        self.tag = tag % 1_000_000
        self.nowMillis = nowMillis
        nonce = tag << 20
        let suite = chain.suite
        offices = try (0..<officeCount).map { index in
            (OfficeID("bench-\(tag % 1_000_000)-\(index)")!, try suite.generatePrivateKey())
        }
        taxpayers = try (0..<taxpayerCount).map { index in
            // 18 characters of [0-9A-Z]: "91" + the 6-digit tag + a 10-digit index.
            let digits = String(tag % 1_000_000).leftPadded(6) + String(index).leftPadded(10)
            return (TaxpayerID("91" + digits)!, try suite.generatePrivateKey())
        }
        holders = try (0..<holderCount).map { _ in try suite.generatePrivateKey() }
    }

    mutating func sign(_ operation: LedgerOperation, by key: PrivateKey) throws -> PresignedTransaction {
        nonce += 1
        let signed = try operation.signed(by: key, chain: chain, nonce: nonce, expiryHeight: Height(UInt64.max))
        return PresignedTransaction(signed, suite: chain.suite)
    }

    func admin(_ bureau: String) throws -> PrivateKey {
        guard let key = admins[bureau] else { throw MixError.missingAdmin(bureau) }
        return key
    }

    /// Wave 1: every office and taxpayer registered.
    public mutating func registrations() throws -> [PresignedTransaction] {
        var out: [PresignedTransaction] = []
        for office in offices { out.append(try sign(try MixOperations.registerOffice(office.id, key: office.key), by: try admin("gsdmb"))) }
        for payer in taxpayers { out.append(try sign(try MixOperations.registerTaxpayer(payer.id, key: payer.key), by: try admin("tax"))) }
        return out
    }

    /// Wave 2: `licences` licences to grant over, and `2 × invoices` invoices
    /// (half to be claimed in wave 3 and reimbursed in the measured stream,
    /// half to be claimed in the measured stream).
    public mutating func issues(licences count: Int, invoices: Int) throws -> [PresignedTransaction] {
        var out: [PresignedTransaction] = []
        for _ in 0..<count {
            let (tx, licence) = try licenceIssue()
            licences.append(licence)
            out.append(tx)
        }
        var issued: [(id: InvoiceID, buyer: Int)] = []
        for _ in 0..<(2 * invoices) {
            let (tx, invoice) = try invoiceIssue()
            issued.append(invoice)
            out.append(tx)
        }
        toClaim = Array(issued[invoices...])
        toReimburse = Array(issued[..<invoices])
        return out
    }

    /// Wave 3: `grants` consents (each good for `maxUses` uses) and the claims
    /// of the invoices the measured stream reimburses.
    public mutating func grantsAndClaims(grants count: Int, maxUses: UInt64) throws -> [PresignedTransaction] {
        var out: [PresignedTransaction] = []
        for index in 0..<count {
            let (tx, grant) = try consentGrant(licence: licences[index % licences.count], office: index % offices.count, maxUses: maxUses)
            grants.append(grant)
            out.append(tx)
        }
        for invoice in toReimburse {
            out.append(try sign(try MixOperations.claimInvoice(invoice.id), by: taxpayers[invoice.buyer].key))
        }
        return out
    }

    /// The next `count` measured transactions, in the mix's order. Throws
    /// when the set-up waves prepared too few invoices for the claims and
    /// reimbursements asked for.
    public mutating func measured(_ count: Int) throws -> [PresignedTransaction] {
        var out: [PresignedTransaction] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            let kind = Self.pattern[slot % Self.pattern.count]
            slot += 1
            switch kind {
            case .issueLicence:
                out.append(try licenceIssue().0)
            case .grantConsent:
                let licence = licences[Int.random(in: 0..<licences.count)]
                out.append(try consentGrant(licence: licence, office: Int.random(in: 0..<offices.count), maxUses: 3).0)
            case .useConsent:
                let grant = grants[useCursor % grants.count]
                useCursor += 1
                out.append(try sign(MixOperations.useConsent(grant.id, licence: grant.licence), by: offices[grant.office].key))
            case .issueInvoice:
                out.append(try invoiceIssue().0)
            case .claimInvoice:
                guard let invoice = toClaim.popLast() else { throw MixError.tooFewInvoices }
                out.append(try sign(try MixOperations.claimInvoice(invoice.id), by: taxpayers[invoice.buyer].key))
            case .reimburseInvoice:
                guard let invoice = toReimburse.popLast() else { throw MixError.tooFewInvoices }
                out.append(try sign(try MixOperations.reimburseInvoice(invoice.id), by: taxpayers[invoice.buyer].key))
            }
        }
        return out
    }

    /// Claims (and reimbursements) among `count` measured transactions: the
    /// invoices wave 2 must prepare for each.
    public static func invoicesNeeded(forMeasured count: Int) -> Int {
        let perPattern = pattern.filter { $0 == .claimInvoice }.count
        return (count / pattern.count + 1) * perPattern
    }

    mutating func licenceIssue() throws -> (PresignedTransaction, (id: LicenceID, holder: Int)) {
        // Spread over three issuing bureaus, as a city's traffic is, and so over
        // three senders' mempool shares.
        let issuers = [("psb", "RESIDENT_ID_CARD"), ("gsdmb", "SOCIAL_SECURITY_CARD"), ("psb", "DRIVING_LICENCE")]
        let (bureau, type) = issuers[Int(nonce % UInt64(issuers.count))]
        let holder = Int.random(in: 0..<holders.count)
        let salt = withUnsafeBytes(of: (nonce + 1).bigEndian) { Array($0) }
        let operation = try MixOperations.issueLicence(type: type, holder: holders[holder], salt: salt, suite: chain.suite)
        let tx = try sign(operation, by: try admin(bureau))
        return (tx, (LicenceID(issuedBy: tx.id), holder))
    }

    mutating func consentGrant(licence: (id: LicenceID, holder: Int), office: Int, maxUses: UInt64) throws
        -> (PresignedTransaction, (id: ConsentID, licence: LicenceID, office: Int))
    {
        let holder = holders[licence.holder]
        let (operation, consent) = try MixOperations.grantConsent(
            holder: holder, licence: licence.id, office: offices[office].id, notAfter: nowMillis + 7 * 86_400_000,
            maxUses: maxUses, nonce: nonce, chain: chain)
        return (try sign(operation, by: holder), (consent, licence.id, office))
    }

    mutating func invoiceIssue() throws -> (PresignedTransaction, (id: InvoiceID, buyer: Int)) {
        invoiceCounter += 1
        let seller = Int.random(in: 0..<taxpayers.count)
        let buyer = (seller + 1 + Int.random(in: 0..<(taxpayers.count - 1))) % taxpayers.count
        let id = InvoiceID(code: "144032400110", number: String(tag).leftPadded(6) + String(invoiceCounter).leftPadded(10))!
        let salt = withUnsafeBytes(of: invoiceCounter.bigEndian) { Array($0) } + withUnsafeBytes(of: tag.bigEndian) { Array($0) }
        let operation = try MixOperations.issueInvoice(
            id, buyer: taxpayers[buyer].id, amountFen: UInt64.random(in: 1...1_000_000), salt: salt, suite: chain.suite)
        return (try sign(operation, by: taxpayers[seller].key), (id, buyer))
    }
}

public enum MixError: Error, CustomStringConvertible {
    case missingAdmin(String)
    case tooFewInvoices

    public var description: String {
        switch self {
        case let .missingAdmin(bureau): return "no admin key for bureau \(bureau) in the devnet folder"
        case .tooFewInvoices: return "the set-up waves prepared too few invoices for the measured stream"
        }
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? String(suffix(width)) : String(repeating: "0", count: width - count) + self
    }
}
