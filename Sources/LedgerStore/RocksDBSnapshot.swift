import CRocksDB
import Synchronization

/// A pinned RocksDB snapshot. Holding the database keeps it open until the
/// snapshot is released, which must happen first.
final class RocksDBSnapshotHandle: @unchecked Sendable {
    // @unchecked: `raw` is immutable and only passed to thread-safe read
    // calls and, once, to release in deinit.
    let database: RocksDBDatabase
    let raw: OpaquePointer
    /// Point-read options pinned to `raw`, made once rather than per get;
    /// RocksDB only reads them, so concurrent gets may share them.
    let readOptions: OpaquePointer

    init(database: RocksDBDatabase) throws(StoreError) {
        self.database = database
        let raw = try database.createSnapshot()
        do {
            self.readOptions = try RocksDBDatabase.pointReadOptions(snapshot: raw)
        } catch {
            database.releaseSnapshot(raw)
            throw error
        }
        self.raw = raw
    }

    deinit {
        rocksdb_readoptions_destroy(readOptions)
        database.releaseSnapshot(raw)
    }
}

/// The `KeyValueSnapshot` handed out by `RocksDBStore`.
///
/// `close()` (or the store's close, or deinit) drops the handle; reads already
/// running keep their own reference, so the RocksDB snapshot is released only
/// after they finish.
final class RocksDBSnapshot: KeyValueSnapshot {
    private let handle: Mutex<RocksDBSnapshotHandle?>

    init(handle: RocksDBSnapshotHandle) {
        self.handle = Mutex(handle)
    }

    func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StoreError) -> [UInt8]? {
        let handle = try openHandle()
        return try handle.database.get(key, in: columnFamily, readOptions: handle.readOptions)
    }

    func scan(
        _ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int
    ) throws(StoreError) -> [KeyValuePair] {
        let handle = try openHandle()
        return try handle.database.scan(
            columnFamily, range: range, limit: limit, reverse: reverse, maxBytes: maxBytes, snapshot: handle.raw)
    }

    func close() {
        // Released outside the lock: dropping the last reference may close
        // the whole database, which should not happen while holding it.
        let released = handle.withLock { $0.take() }
        withExtendedLifetime(released) {}
    }

    private func openHandle() throws(StoreError) -> RocksDBSnapshotHandle {
        guard let handle = handle.withLock({ $0 }) else { throw .closed }
        return handle
    }
}
