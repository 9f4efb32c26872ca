import LedgerCore
import LedgerStore
import StateTree
import Synchronization

/// State values a light client has checked against a certified state root:
/// for each key, its value or its proven absence, and nothing else.
///
/// A `LedgerQueries` over it runs the node's own query code (the counter
/// check, the invoice trace) on proven data only: a read of any key the proof
/// did not cover throws, so a missing proof can never pass for an absent key.
public final class ProvenSnapshot: KeyValueSnapshot {
    private let values: [[UInt8]: [UInt8]?]
    private let head: [UInt8]
    private let unproven = Mutex<[UInt8]?>(nil)

    /// The first state key a query read that the proofs did not cover.
    public var firstUnprovenKey: LedgerStateKey? { unproven.withLock { $0.map(LedgerStateKey.init(bytes:)) } }

    /// `values`: what the proofs showed, keyed by state key. `head`: the
    /// certified block, whose time the queries judge validity at.
    public init(values: [LedgerStateKey: [UInt8]?], head: ChainHead) {
        var byKey: [[UInt8]: [UInt8]?] = [:]
        for (key, value) in values { byKey[key.bytes] = value }
        self.values = byKey
        self.head = Canonical.encode(head)
    }

    public func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StoreError) -> [UInt8]? {
        if columnFamily == LedgerColumns.meta, key == MetaKey.head { return head }
        guard columnFamily == LedgerColumns.state, let value = values[key] else {
            unproven.withLock { $0 = $0 ?? key }
            throw .io(reason: "the answer carries no proof for \(columnFamily.name) key \(Hex.encode(key))")
        }
        return value
    }

    public func scan(
        _ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int
    ) throws(StoreError) -> [KeyValuePair] {
        // A proof covers single keys; it cannot show that a range is complete.
        throw .io(reason: "a scan of \(columnFamily.name) cannot be proven key by key")
    }

    public func close() {}
}

extension LedgerQueries {
    /// Queries over proven values only (see `ProvenSnapshot`).
    public convenience init(proven: ProvenSnapshot, chain: ChainParameters) {
        self.init(snapshot: proven, chain: chain)
    }
}

extension LedgerStateKey {
    public static let bureauSet = Self(bytes: StateKey.bureauSet)
    public static func invoiceEvent(_ id: InvoiceID, _ index: UInt64) -> Self { Self(bytes: StateKey.invoiceEvent(id, index)) }

    public static func licenceType(_ code: LicenceTypeCode) -> Self { Self(bytes: StateKey.licenceType(code)) }

    /// Every key the counter check reads, and the licence's view with it: the
    /// licence, its type's catalogue entry, the bureau set and each bureau,
    /// the issuer's record (its rights; its absence when governance removed
    /// it), and the consent if one is named. Read through `queries`, so a
    /// light client derives the list from proven values alone.
    public static func counterCheck(licence: LicenceID, consent: ConsentID?, in queries: LedgerQueries) throws(LedgerError) -> [Self] {
        var keys: [Self] = [.licence(licence), .bureauSet] + (try queries.bureauIDs()).map { .bureau($0) }
        if let record = try queries.licence(licence) {
            keys.append(.licenceType(record.licenceType))
            if !keys.contains(.bureau(record.issuer)) { keys.append(.bureau(record.issuer)) }
        }
        if let consent { keys.append(.consent(consent)) }
        return keys
    }

    /// Every key an invoice's trace reads: the invoice and its events.
    public static func invoiceTrace(_ id: InvoiceID, eventCount: UInt64) -> [Self] {
        [.invoice(id)] + (0..<min(eventCount, LedgerQueries.maxInvoiceEvents)).map { .invoiceEvent(id, $0) }
    }
}

extension LedgerQueries {
    /// The receipt as the state holds it (without its message): the part a proof covers.
    public func provenReceipt(of transaction: TxID) throws(LedgerError) -> Receipt? {
        try record(Receipt.self, at: StateKey.receipt(transaction))
    }

    /// The ids of the current bureaus.
    public func bureauIDs() throws(LedgerError) -> [BureauID] {
        guard let set = try record(BureauSetRecord.self, at: StateKey.bureauSet) else {
            throw .fault(.corrupt(key: StateKey.bureauSet, reason: "the bureau set is missing"))
        }
        return set.ids
    }
}
