import Consensus
import LedgerCore
import LedgerStore

public enum ConsensusLogError: Error, Sendable, Equatable, CustomStringConvertible {
    case store(StoreError)
    case corrupt(key: UInt64, reason: String)
    case tooLarge(records: Int)

    public var description: String {
        switch self {
        case let .store(error): "consensus log: \(error)"
        case let .corrupt(key, reason): "consensus log: record \(key) is damaged: \(reason)"
        case let .tooLarge(records): "consensus log: \(records) records, over the limit; the data directory is damaged or not a node's"
        }
    }
}

/// The replica's durable records, appended in order and synced before any
/// message that depends on them leaves the node. On open the log is read into a
/// `PersistentState` and rewritten compacted; it is compacted again whenever it
/// has grown by `compactEvery` records, so it stays within a few windows' worth.
public final class ConsensusLog {
    /// Far above any compacted log (a window of slots, a few records each).
    static let maxRecords = 1_000_000
    let store: any KeyValueStore
    let compactEvery: Int
    private(set) var state = PersistentState()
    private var nextKey: UInt64 = 0
    private var firstKey: UInt64 = 0
    private var appendedSinceCompaction = 0

    public init(store: any KeyValueStore, compactEvery: Int = 4096) throws(ConsensusLogError) {
        self.store = store
        self.compactEvery = compactEvery
        var range = KeyRange.all
        var loaded = 0
        var first: UInt64?
        while true {
            let page: [KeyValuePair]
            do { page = try store.scan(NodeColumns.consensus, range: range, limit: 4096) } catch { throw .store(error) }
            for pair in page {
                guard let key = BigEndianKey.decode(pair.key) else { throw .corrupt(key: 0, reason: "key of \(pair.key.count) bytes") }
                let record: PersistentRecord
                do throws(CanonicalError) { record = try Canonical.decodeStored(PersistentRecord.self, from: pair.value) } catch {
                    throw .corrupt(key: key, reason: "\(error)")
                }
                state.apply(record)
                first = first ?? key
                nextKey = key + 1
                loaded += 1
                guard loaded <= Self.maxRecords else { throw .tooLarge(records: loaded) }
            }
            guard let last = page.last, page.count == 4096 || page.reduce(0, { $0 + $1.key.count + $1.value.count }) >= StoreLimits.maxScanBytes else { break }
            range = range.remaining(after: last.key, reverse: false)
        }
        firstKey = first ?? 0
        try compact()
    }

    /// Makes `records` durable, in order, in one synced write.
    public func append(_ records: [PersistentRecord]) throws(ConsensusLogError) {
        guard !records.isEmpty else { return }
        var batch = WriteBatch()
        for record in records {
            batch.put(BigEndianKey.encode(nextKey), Canonical.encode(record), in: NodeColumns.consensus)
            nextKey += 1
            state.apply(record)
        }
        do { try store.write(batch, sync: true) } catch { throw .store(error) }
        appendedSinceCompaction += records.count
        if appendedSinceCompaction >= compactEvery { try compact() }
    }

    /// Rewrites the log as the compacted records of the current state, in one
    /// atomic write: a crash leaves either the old log or the new one.
    func compact() throws(ConsensusLogError) {
        var batch = WriteBatch()
        let records = state.records
        for key in firstKey..<nextKey { batch.delete(BigEndianKey.encode(key), in: NodeColumns.consensus) }
        let start = nextKey
        for record in records {
            batch.put(BigEndianKey.encode(nextKey), Canonical.encode(record), in: NodeColumns.consensus)
            nextKey += 1
        }
        do { try store.write(batch, sync: true) } catch { throw .store(error) }
        firstKey = start
        appendedSinceCompaction = 0
    }
}
