import CRocksDB
import Synchronization

/// A `KeyValueStore` on RocksDB: column families, atomic write batches,
/// optional fsync per write, snapshots. Safe to use from many threads.
///
/// Opening names the column families the caller will use; missing ones are
/// created. Families already on disk but not named are opened too (RocksDB
/// requires it) yet stay unreachable, so reopening with a subset or a
/// superset of the original families both work.
public final class RocksDBStore: KeyValueStore {
    public struct Options: Sendable {
        /// Create the database directory and files when absent.
        public var createIfMissing: Bool
        /// Create declared column families that are not on disk yet.
        public var createMissingColumnFamilies: Bool
        /// Write-ahead-log bytes past which RocksDB flushes the column families
        /// that keep the oldest log alive. Its default (four times all write
        /// buffers, gigabytes here) let a rarely written family pin every log
        /// since start: 391 MiB of logs beside 58 MiB of tables on a devnet
        /// node after 70,000 transactions. Flushing costs no durability.
        public var maxTotalWALBytes: UInt64
        /// Bytes of uncompressed table blocks kept in memory, shared by every
        /// column family; 0 keeps RocksDB's default (8 MiB). The state tree's
        /// lower levels live here once the node cache no longer holds them.
        public var blockCacheBytes: Int
        /// Bits per key of the bloom filters on table files and memtables; 0
        /// turns them off. 10 bits: about 1 % of reads for an absent key
        /// still search a file.
        public var bloomBitsPerKey: Int

        public init(
            createIfMissing: Bool = true, createMissingColumnFamilies: Bool = true, maxTotalWALBytes: UInt64 = 64 << 20,
            blockCacheBytes: Int = 128 << 20, bloomBitsPerKey: Int = 10
        ) {
            self.createIfMissing = createIfMissing
            self.createMissingColumnFamilies = createMissingColumnFamilies
            self.maxTotalWALBytes = maxTotalWALBytes
            self.blockCacheBytes = max(0, blockCacheBytes)
            self.bloomBitsPerKey = max(0, bloomBitsPerKey)
        }
    }

    private struct WeakSnapshot {
        weak var snapshot: RocksDBSnapshot?
    }

    private struct State {
        var database: RocksDBDatabase?
        /// Live snapshots, so `close()` can release them before the database.
        var snapshots: [WeakSnapshot] = []
    }

    public let path: String
    public let columnFamilies: Set<ColumnFamily>
    private let state: Mutex<State>

    /// Opens (or creates) the database at `path`. `default` is always included.
    /// Paranoid checks are on: RocksDB refuses to open on detected corruption.
    ///
    /// With `createIfMissing`, a database is created only where none exists
    /// (no directory, or a directory without a `CURRENT` file). Anything else
    /// that keeps RocksDB from reading the column family list (a file in the
    /// way, no permission, a corrupt `CURRENT`) throws `StoreError.open` with
    /// RocksDB's message.
    public init(path: String, columnFamilies: [ColumnFamily], options: Options = Options()) throws(StoreError) {
        let database = try RocksDBDatabase.open(path: path, columnFamilies: columnFamilies, options: options)
        self.path = path
        self.columnFamilies = database.declared
        self.state = Mutex(State(database: database))
    }

    deinit {
        close()
    }

    /// The names of all column families in the database at `path`, without
    /// opening it. Throws `StoreError.open` when there is no database there.
    public static func listColumnFamilies(path: String) throws(StoreError) -> [String] {
        guard let options = rocksdb_options_create() else {
            throw .open(path: path, reason: "could not allocate RocksDB options")
        }
        defer { rocksdb_options_destroy(options) }
        switch RocksDBDatabase.listColumnFamilies(path: path, options: options) {
        case .success(let names): return names
        case .failure(let error): throw .open(path: path, reason: error.reason)
        }
    }

    public func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StoreError) -> [UInt8]? {
        try openDatabase().get(key, in: columnFamily, snapshot: nil)
    }

    public func scan(
        _ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int
    ) throws(StoreError) -> [KeyValuePair] {
        try openDatabase().scan(
            columnFamily, range: range, limit: limit, reverse: reverse, maxBytes: maxBytes, snapshot: nil)
    }

    public func write(_ batch: WriteBatch, sync: Bool) throws(StoreError) {
        try openDatabase().write(batch, sync: sync)
    }

    public func snapshot() throws(StoreError) -> any KeyValueSnapshot {
        // Created and registered under the lock so a concurrent close()
        // cannot miss it.
        try state.withLock { (state: inout State) throws(StoreError) -> RocksDBSnapshot in
            guard let database = state.database else { throw .closed }
            let snapshot = RocksDBSnapshot(handle: try RocksDBSnapshotHandle(database: database))
            state.snapshots.removeAll { $0.snapshot == nil }
            state.snapshots.append(WeakSnapshot(snapshot: snapshot))
            return snapshot
        }
    }

    /// Releases snapshots, then the database; see `KeyValueStore.close()`.
    /// Returns at once. When no call is running on another thread, the
    /// database (files and `LOCK`) is closed before `close()` returns;
    /// otherwise it is closed by whichever in-flight call ends last, and a
    /// reopen of `path` before then fails with `StoreError.open`.
    public func close() {
        let (database, snapshots) = state.withLock { state in
            let taken = (state.database, state.snapshots)
            state.database = nil
            state.snapshots = []
            return taken
        }
        for entry in snapshots {
            entry.snapshot?.close()
        }
        // The last reference to the database (normally this one) closes it here.
        withExtendedLifetime(database) {}
    }

    private func openDatabase() throws(StoreError) -> RocksDBDatabase {
        guard let database = state.withLock({ $0.database }) else { throw .closed }
        return database
    }
}
