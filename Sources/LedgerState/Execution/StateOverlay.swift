import LedgerCore
import LedgerStore

/// Writes of one block, layered over a snapshot of the committed state, with
/// a nested layer per transaction so a refused transaction leaves nothing.
///
/// Dictionaries only serve look-ups here: the tree sorts its change set and
/// `WriteBatch.append` sorts the writes, so dictionary order never reaches
/// a hash or a batch.
struct StateOverlay {
    let base: any KeyValueReader
    private var stateWrites: [OverlayKey: [UInt8]?] = [:]
    private var indexWrites: [OverlayKey: [UInt8]?] = [:]
    private var txState: [OverlayKey: [UInt8]?] = [:]
    private var txIndex: [OverlayKey: [UInt8]?] = [:]
    /// Decoded records by key, so the bureau, key-owner and catalogue records
    /// that most transactions consult are decoded once per block. Kept in step
    /// with the bytes: every put records its value, a rollback drops the
    /// transaction's entries.
    private let cache = DecodedRecords()

    /// `expectedWrites`: about how many keys the block writes, so that the
    /// block's dictionaries are sized once rather than rehashed as they grow.
    init(base: any KeyValueReader, expectedWrites: Int = 0) {
        self.base = base
        let capacity = min(max(expectedWrites, 0), Self.maxReservedWrites)
        stateWrites.reserveCapacity(capacity)
        indexWrites.reserveCapacity(capacity)
        cache.block.reserveCapacity(capacity)
    }

    /// A bound on the reservation, whatever a caller expects.
    static let maxReservedWrites = 1 << 16

    /// The block's committed state writes (nil = delete), as the tree takes them.
    var state: [[UInt8]: [UInt8]?] { Self.plain(stateWrites) }
    /// The block's committed index writes (nil = delete).
    var index: [[UInt8]: [UInt8]?] { Self.plain(indexWrites) }

    private static func plain(_ writes: [OverlayKey: [UInt8]?]) -> [[UInt8]: [UInt8]?] {
        var out: [[UInt8]: [UInt8]?] = [:]
        out.reserveCapacity(writes.count)
        for (key, value) in writes { out[key.bytes] = value }
        return out
    }

    /// How many writes `appendWrites` appends.
    var writeCount: Int { stateWrites.count + indexWrites.count }

    /// Appends the block's state and index writes to `batch`, each in
    /// ascending key order, as `WriteBatch.append` does.
    func appendWrites(to batch: inout WriteBatch) {
        batch.append(stateWrites, in: LedgerColumns.state)
        batch.append(indexWrites, in: LedgerColumns.index)
    }

    func get(_ key: [UInt8]) throws(LedgerFault) -> [UInt8]? {
        try get(OverlayKey(key))
    }

    private func get(_ key: OverlayKey) throws(LedgerFault) -> [UInt8]? {
        if let pending = txState[key] { return pending }
        if let pending = stateWrites[key] { return pending }
        do {
            return try base.get(key.bytes, in: LedgerColumns.state)
        } catch {
            throw .store(error)
        }
    }

    func record<T: CanonicalCodable>(_ type: T.Type, at bytes: [UInt8]) throws(LedgerFault) -> T? {
        let key = OverlayKey(bytes)
        if let pending = cache.transaction[key] {
            if let value = pending as? T { return value }
        } else if let cached = cache.block[key] as? T {
            return cached
        }
        guard let stored = try get(key) else { return nil }
        let value: T
        do {
            value = try Canonical.decodeStored(type, from: stored)
        } catch {
            throw .corrupt(key: bytes, reason: "\(error)")
        }
        if txState[key] == nil { cache.block[key] = value } else { cache.transaction[key] = value }
        return value
    }

    /// Stores `value` and returns its encoding.
    @discardableResult
    mutating func put<T: CanonicalCodable>(_ value: T, at key: [UInt8]) -> [UInt8] {
        let bytes = Canonical.encode(value)
        let key = OverlayKey(key)
        txState[key] = .some(bytes)
        cache.transaction[key] = .some(value)
        return bytes
    }

    mutating func putRaw(_ value: [UInt8], at key: [UInt8]) {
        let key = OverlayKey(key)
        txState[key] = .some(value)
        cache.transaction[key] = .some(nil)
    }

    mutating func delete(_ key: [UInt8]) {
        let key = OverlayKey(key)
        txState[key] = .some(nil)
        cache.transaction[key] = .some(nil)
    }

    mutating func putIndex(_ key: [UInt8]) {
        txIndex[OverlayKey(key)] = .some([])
    }

    /// Keeps the current transaction's writes.
    mutating func commitTransaction() {
        stateWrites.merge(txState) { _, new in new }
        indexWrites.merge(txIndex) { _, new in new }
        for (key, value) in cache.transaction {
            cache.block[key] = value
        }
        txState.removeAll(keepingCapacity: true)
        txIndex.removeAll(keepingCapacity: true)
        cache.transaction.removeAll(keepingCapacity: true)
    }

    /// Drops the current transaction's writes: a refusal changes nothing.
    mutating func rollbackTransaction() {
        txState.removeAll(keepingCapacity: true)
        txIndex.removeAll(keepingCapacity: true)
        cache.transaction.removeAll(keepingCapacity: true)
    }
}

/// A store key as a dictionary key. Its bytes are hashed once, when it is
/// made, in one call (`[UInt8]`'s own hashing feeds the hasher a byte at a
/// time); the dictionaries a key passes through (the transaction's, the
/// block's, the decoded records') then hash one word. Still seeded, so
/// crafted keys cannot aim at one bucket.
struct OverlayKey: Hashable {
    let bytes: [UInt8]
    private let digest: Int

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        var hasher = Hasher()
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
        self.digest = hasher.finalize()
    }

    static func == (lhs: OverlayKey, rhs: OverlayKey) -> Bool {
        lhs.digest == rhs.digest && lhs.bytes == rhs.bytes
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(digest)
    }
}

extension WriteBatch {
    /// Appends writes in ascending key order (nil = delete).
    mutating func append(_ writes: [OverlayKey: [UInt8]?], in column: ColumnFamily) {
        // The store's bytewise order (`memcmp`), not the generic
        // `lexicographicallyPrecedes`, which compared a byte per call and
        // showed in the profile of sorting a block's writes; and settled by
        // the first eight bytes as an integer where they differ, which for
        // keys of a tag and a digest is nearly always.
        var sorted = writes.map { (prefix: keyPrefix($0.key.bytes), key: $0.key.bytes, value: $0.value) }
        sorted.sort { compareBytes($0.key, $0.prefix, $1.key, $1.prefix) < 0 }
        for entry in sorted {
            if let value = entry.value { put(entry.key, value, in: column) } else { delete(entry.key, in: column) }
        }
    }
}

/// Decoded records of one block: a reference, so that reads, which do not
/// change the state, can fill it without making every rule `mutating`.
final class DecodedRecords {
    var block: [OverlayKey: any Sendable] = [:]
    /// The current transaction's; nil marks a key it wrote as raw bytes or deleted.
    var transaction: [OverlayKey: (any Sendable)?] = [:]
}

/// What stops a whole block from being applied: not a rule refusal (those
/// become receipts) but a broken store or state, where going on would fork.
public enum LedgerFault: Error, Equatable, CustomStringConvertible {
    case store(StoreError)
    case corrupt(key: [UInt8], reason: String)
    case tree(String)

    public var description: String {
        switch self {
        case let .store(error): return "store: \(error)"
        case let .corrupt(key, reason): return "corrupt state at key \(Hex.encode(key)): \(reason)"
        case let .tree(reason): return "state tree: \(reason)"
        }
    }
}
