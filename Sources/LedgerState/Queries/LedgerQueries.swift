import LedgerCore
import LedgerStore
import StateTree

/// Read-only questions over one snapshot of committed state. Every list is
/// paged and capped, so no query can make a node read without bound.
public final class LedgerQueries: Sendable {
    public static let maxPageSize = 500
    /// Events read per invoice: it has at most three; the cap bounds a damaged record.
    public static let maxInvoiceEvents: UInt64 = 8

    let snapshot: any KeyValueSnapshot
    public let chain: ChainParameters

    init(snapshot: any KeyValueSnapshot, chain: ChainParameters) {
        self.snapshot = snapshot
        self.chain = chain
    }

    /// Releases the snapshot; later calls throw.
    public func close() { snapshot.close() }

    deinit { snapshot.close() }

    public func head() throws(LedgerError) -> ChainHead {
        try LedgerReads.head(in: snapshot)
    }

    func record<T: CanonicalCodable>(_ type: T.Type, at key: [UInt8]) throws(LedgerError) -> T? {
        try LedgerReads.record(type, at: key, reader: snapshot)
    }

    func scanKeys(_ column: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool = false) throws(LedgerError) -> [[UInt8]] {
        do {
            return try snapshot.scan(column, range: range, limit: min(max(limit, 1), Self.maxPageSize), reverse: reverse)
                .map(\.key)
        } catch {
            throw .fault(.store(error))
        }
    }

    /// Decodes every record of a bounded scan; a record that does not decode
    /// is corruption, not a missing entry.
    func scanRecords<T: CanonicalCodable>(
        _ type: T.Type, in column: ColumnFamily, range: KeyRange, limit: Int
    ) throws(LedgerError) -> [T] {
        let pairs: [KeyValuePair]
        do { pairs = try snapshot.scan(column, range: range, limit: limit) } catch { throw .fault(.store(error)) }
        var out: [T] = []
        out.reserveCapacity(pairs.count)
        for pair in pairs {
            do { out.append(try Canonical.decode(type, from: pair.value)) } catch {
                throw .fault(.corrupt(key: pair.key, reason: "\(error)"))
            }
        }
        return out
    }

    // MARK: Licences

    public func licence(_ id: LicenceID) throws(LedgerError) -> LicenceRecord? {
        try record(LicenceRecord.self, at: StateKey.licence(id))
    }

    /// A holder's licences, of one type or all, in id order.
    public func licences(holder: PublicKeyBytes, type: LicenceTypeCode? = nil, limit: Int = 100) throws(LedgerError) -> [LicenceRecord] {
        let keys = try scanKeys(LedgerColumns.index, range: .prefix(IndexKey.holderLicencePrefix(holder, type)), limit: limit)
        var out: [LicenceRecord] = []
        for key in keys {
            let id = LicenceID(Digest(unchecked: Array(key.suffix(Digest.byteCount))))
            guard let licence = try licence(id) else {
                throw .fault(.corrupt(key: key, reason: "index names a licence that does not exist"))
            }
            out.append(licence)
        }
        return out
    }

    // MARK: Consent

    public func consent(_ id: ConsentID) throws(LedgerError) -> ConsentRecord? {
        try record(ConsentRecord.self, at: StateKey.consent(id))
    }

    /// A holder's grants, newest first.
    public func consents(holder: PublicKeyBytes, limit: Int = 100) throws(LedgerError) -> [ConsentRecord] {
        let keys = try scanKeys(LedgerColumns.index, range: .prefix(IndexKey.holderConsentPrefix(holder)), limit: limit, reverse: true)
        var out: [ConsentRecord] = []
        for key in keys {
            let id = ConsentID(Digest(unchecked: Array(key.suffix(Digest.byteCount))))
            guard let consent = try consent(id) else {
                throw .fault(.corrupt(key: key, reason: "index names a consent that does not exist"))
            }
            out.append(consent)
        }
        return out
    }

    /// The recorded uses of a grant, oldest first, starting at use number
    /// `from` (0-based): who looked, and when. A grant has at most 10,000
    /// uses; page through them by passing the count already read as `from`.
    public func uses(of id: ConsentID, from: UInt64 = 0, limit: Int = 100) throws(LedgerError) -> [ConsentUseRecord] {
        let range = KeyRange(from: StateKey.consentUse(id, from), to: KeyRange.prefix(StateKey.consentUsePrefix(id)).upperBound)
        return try scanRecords(ConsentUseRecord.self, in: LedgerColumns.state, range: range, limit: min(max(limit, 1), Self.maxPageSize))
    }

    // MARK: Invoices

    public struct InvoiceTrace: Sendable, Hashable {
        public let invoice: InvoiceRecord
        public let events: [InvoiceEventRecord]
    }

    /// The invoice and its whole history, issue first.
    public func invoice(_ id: InvoiceID) throws(LedgerError) -> InvoiceTrace? {
        guard let invoice = try record(InvoiceRecord.self, at: StateKey.invoice(id)) else { return nil }
        var events: [InvoiceEventRecord] = []
        // An invoice has at most three events (issue, claim, then reimburse or
        // reverse); the cap only bounds the loop should a record be damaged.
        for index in 0..<min(invoice.eventCount, Self.maxInvoiceEvents) {
            guard let event = try record(InvoiceEventRecord.self, at: StateKey.invoiceEvent(id, index)) else {
                throw .fault(.corrupt(key: StateKey.invoiceEvent(id, index), reason: "missing invoice event"))
            }
            events.append(event)
        }
        return InvoiceTrace(invoice: invoice, events: events)
    }

    public enum InvoiceParty: Sendable, Hashable {
        case seller(TaxpayerID)
        case buyer(TaxpayerID)
    }

    public struct InvoicePage: Sendable, Hashable {
        public let invoices: [InvoiceRecord]
        /// Pass back as `after` for the next page; nil when this was the last.
        public let next: InvoiceCursor?
    }

    /// Where a page ended: the issue time and id of its last invoice.
    public struct InvoiceCursor: Sendable, Hashable {
        public let issuedAtMillis: UInt64
        public let invoice: InvoiceID
        public init(issuedAtMillis: UInt64, invoice: InvoiceID) {
            self.issuedAtMillis = issuedAtMillis
            self.invoice = invoice
        }
    }

    /// A party's invoices issued in `[fromMillis, toMillis)`, oldest first.
    public func invoices(
        _ party: InvoiceParty, fromMillis: UInt64 = 0, toMillis: UInt64 = .max, after: InvoiceCursor? = nil,
        limit: Int = 100
    ) throws(LedgerError) -> InvoicePage {
        let (tag, id): (UInt8, TaxpayerID)
        switch party {
        case let .seller(seller): (tag, id) = (IndexKey.sellerTag, seller)
        case let .buyer(buyer): (tag, id) = (IndexKey.buyerTag, buyer)
        }
        let prefix = IndexKey.partyPrefix(tag, id)
        var lower = prefix + bigEndian(fromMillis)
        if let after {
            // Just past the cursor's key: the same key with a zero byte appended.
            let cursorKey = prefix + bigEndian(after.issuedAtMillis) + Array(after.invoice.description.utf8) + [0]
            if cursorKey.lexicographicallyPrecedes(lower) == false { lower = cursorKey }
        }
        let upper = prefix + bigEndian(toMillis)
        let pageSize = min(max(limit, 1), Self.maxPageSize)
        let keys = try scanKeys(LedgerColumns.index, range: KeyRange(from: lower, to: upper), limit: pageSize)
        var out: [InvoiceRecord] = []
        for key in keys {
            let idBytes = key.dropFirst(prefix.count + 8)
            guard let text = String(validating: Array(idBytes), as: UTF8.self), let invoiceID = InvoiceID(text),
                  let invoice = try record(InvoiceRecord.self, at: StateKey.invoice(invoiceID))
            else {
                throw .fault(.corrupt(key: key, reason: "index names an invoice that does not exist"))
            }
            out.append(invoice)
        }
        let next = out.count == pageSize
            ? out.last.map { InvoiceCursor(issuedAtMillis: $0.issuedAtMillis, invoice: $0.id) } : nil
        return InvoicePage(invoices: out, next: next)
    }

    // MARK: Organisations and receipts

    public func bureaus() throws(LedgerError) -> [Bureau] {
        var out: [Bureau] = []
        for id in try bureauIDs() {
            guard let bureau = try record(BureauRecord.self, at: StateKey.bureau(id))?.bureau else {
                throw .fault(.corrupt(key: StateKey.bureau(id), reason: "bureau in the set but not stored"))
            }
            out.append(bureau)
        }
        return out
    }

    /// One bureau of the current set, or nil. A bureau's record exists exactly
    /// while it is in the set (governance writes both together, and the rules
    /// read membership this way), so one read answers what `bureaus()` would,
    /// without decoding every bureau: a counter check asks this twice.
    public func bureau(_ id: BureauID) throws(LedgerError) -> Bureau? {
        try record(BureauRecord.self, at: StateKey.bureau(id))?.bureau
    }

    public func licenceType(_ code: LicenceTypeCode) throws(LedgerError) -> LicenceTypeInfo? {
        try record(LicenceTypeRecord.self, at: StateKey.licenceType(code))?.info
    }

    public func entity(_ subject: RegistrySubject) throws(LedgerError) -> EntityRecord? {
        try record(EntityRecord.self, at: StateKey.entity(subject))
    }

    /// Registered offices, taxpayers or auditors, in id order.
    public func entities(_ role: RegisteredRole, limit: Int = 100) throws(LedgerError) -> [EntityRecord] {
        try scanRecords(
            EntityRecord.self, in: LedgerColumns.state, range: .prefix(StateKey.entityPrefix(role)),
            limit: min(max(limit, 1), Self.maxPageSize))
    }

    /// Who a key belongs to, if it is a bureau's or a registered entity's.
    public func owner(of key: PublicKeyBytes) throws(LedgerError) -> KeyOwner? {
        try record(KeyOwnerRecord.self, at: StateKey.keyOwner(key))?.owner
    }

    /// The receipt of a transaction, message included. The state holds it
    /// without its message (provable); the message comes from the block's
    /// receipts.
    public func receipt(of transaction: TxID) throws(LedgerError) -> Receipt? {
        guard let proven = try record(Receipt.self, at: StateKey.receipt(transaction)) else { return nil }
        let full = try LedgerReads.record(
            Receipt.self, at: ReceiptKey.at(proven.height, proven.index), in: LedgerColumns.receipts, reader: snapshot)
        guard let full, full.withoutMessage == proven else {
            throw .fault(.corrupt(key: StateKey.receipt(transaction), reason: "the block's receipt does not match the state's"))
        }
        return full
    }

    /// The receipts of one block, in block order (refused transactions included).
    public func receipts(at height: Height, limit: Int = Block.maxTransactions) throws(LedgerError) -> [Receipt] {
        try scanRecords(
            Receipt.self, in: LedgerColumns.receipts, range: .prefix(ReceiptKey.blockPrefix(height)),
            limit: min(max(limit, 1), Block.maxTransactions))
    }

    // MARK: Proofs

    /// The value under a state key and a proof of it (or of its absence)
    /// against `head().stateRoot`.
    public func prove(_ key: LedgerStateKey) throws(LedgerError) -> (value: [UInt8]?, proof: StateProof) {
        let value: [UInt8]?
        do { value = try snapshot.get(key.bytes, in: LedgerColumns.state) } catch { throw .fault(.store(error)) }
        do {
            let proof = try StateTree(columnFamily: LedgerColumns.tree, hash: chain.suite).prove(key.bytes, in: snapshot)
            return (value, proof)
        } catch {
            throw .fault(.tree("\(error)"))
        }
    }
}

/// A key of the authenticated state, for proofs that a light client checks.
public struct LedgerStateKey: Sendable, Hashable {
    public let bytes: [UInt8]

    /// A key as raw bytes, such as a proof names it.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    public static func licence(_ id: LicenceID) -> Self { Self(bytes: StateKey.licence(id)) }
    public static func consent(_ id: ConsentID) -> Self { Self(bytes: StateKey.consent(id)) }
    public static func invoice(_ id: InvoiceID) -> Self { Self(bytes: StateKey.invoice(id)) }
    public static func receipt(_ id: TxID) -> Self { Self(bytes: StateKey.receipt(id)) }
    public static func bureau(_ id: BureauID) -> Self { Self(bytes: StateKey.bureau(id)) }
}
