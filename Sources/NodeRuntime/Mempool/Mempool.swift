import LedgerCore

/// Transactions admitted by this node and not yet seen committed. Bounded in
/// count, bytes and per sender, so a flood from one key cannot crowd out the
/// others and memory never grows without bound; when full, admission says so
/// and the API answers 503 with Retry-After.
///
/// It is not the ordering queue (the replica keeps its own bounded pending
/// list); it remembers what this node promised to try to commit, and offers
/// a transaction to consensus again when it has waited too long (a primary
/// that crashed holding it, a queue that was full).
struct Mempool {
    struct Limits: Sendable {
        var maxTransactions: Int
        var maxBytes: Int
        var maxPerSender: Int
        var resubmitAfterMillis: UInt64
    }

    enum Admission: Equatable {
        case accepted
        case known
        case full(perSender: Bool)
    }

    struct Entry {
        let bytes: [UInt8]
        let sender: PublicKeyBytes
        let expiryHeight: UInt64
        var offeredAtMillis: UInt64
    }

    let limits: Limits
    private(set) var entries: [TxID: Entry] = [:]
    private(set) var byteCount = 0
    private var perSender: [PublicKeyBytes: Int] = [:]

    init(limits: Limits) {
        self.limits = limits
    }

    var count: Int { entries.count }

    /// No room for another transaction, whatever its size or sender.
    var isFull: Bool { entries.count >= limits.maxTransactions }

    func contains(_ id: TxID) -> Bool { entries[id] != nil }

    mutating func admit(_ id: TxID, bytes: [UInt8], sender: PublicKeyBytes, expiryHeight: UInt64, now: UInt64) -> Admission {
        if entries[id] != nil { return .known }
        if perSender[sender, default: 0] >= limits.maxPerSender { return .full(perSender: true) }
        guard !isFull, byteCount + bytes.count <= limits.maxBytes else {
            return .full(perSender: false)
        }
        entries[id] = Entry(bytes: bytes, sender: sender, expiryHeight: expiryHeight, offeredAtMillis: now)
        byteCount += bytes.count
        perSender[sender, default: 0] += 1
        return .accepted
    }

    mutating func remove(_ id: TxID) {
        guard let entry = entries.removeValue(forKey: id) else { return }
        byteCount -= entry.bytes.count
        let left = perSender[entry.sender, default: 1] - 1
        perSender[entry.sender] = left > 0 ? left : nil
    }

    /// Drops what can no longer commit: the ledger refuses a transaction past
    /// its expiry height.
    mutating func dropExpired(height: UInt64) {
        for (id, entry) in entries where entry.expiryHeight < height { remove(id) }
    }

    /// Transactions offered more than `resubmitAfterMillis` ago, at most `limit`
    /// of them and about `maxBytes`, marked as offered now.
    mutating func due(now: UInt64, limit: Int, maxBytes: Int = .max) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var bytes = 0
        for (id, entry) in entries where now >= entry.offeredAtMillis + limits.resubmitAfterMillis {
            guard out.count < limit, bytes < maxBytes else { break }
            out.append(entry.bytes)
            bytes += entry.bytes.count
            entries[id]?.offeredAtMillis = now
        }
        return out
    }
}
