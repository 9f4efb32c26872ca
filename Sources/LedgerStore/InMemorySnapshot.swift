import Synchronization

/// A frozen copy of an `InMemoryStore`'s tree roots. Later writes build new
/// trees and leave these untouched.
final class InMemorySnapshot: KeyValueSnapshot {
    private let store: InMemoryStore
    private let declared: Set<ColumnFamily>
    /// nil once closed.
    private let families: Mutex<[ColumnFamily: PersistentSortedMap]?>

    init(store: InMemoryStore, families: [ColumnFamily: PersistentSortedMap]) {
        self.store = store
        self.declared = store.columnFamilies
        self.families = Mutex(families)
    }

    func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StoreError) -> [UInt8]? {
        try InMemoryStore.get(key, in: columnFamily, from: openFamilies(), declared: declared)
    }

    func scan(
        _ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int
    ) throws(StoreError) -> [KeyValuePair] {
        try InMemoryStore.scan(
            columnFamily, range: range, limit: limit, reverse: reverse, maxBytes: maxBytes,
            from: openFamilies(), declared: declared)
    }

    func close() {
        families.withLock { $0 = nil }
    }

    /// A closed store closes its snapshots, as RocksDB must release them
    /// before the database goes away.
    private func openFamilies() throws(StoreError) -> [ColumnFamily: PersistentSortedMap] {
        let families = families.withLock { $0 }
        guard let families, !store.isClosed else { throw .closed }
        return families
    }
}
