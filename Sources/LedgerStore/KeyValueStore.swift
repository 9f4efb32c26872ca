/// Read access shared by live stores and snapshots.
///
/// Keys are ordered bytewise (unsigned, a prefix before its extensions), the
/// order of RocksDB's default comparator. Every scan states its `limit`, so no
/// call reads an unbounded amount.
public protocol KeyValueReader: Sendable {
    /// The value stored under `key`, or nil when there is none.
    func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StoreError) -> [UInt8]?

    /// Up to `limit` entries of `range`, in ascending key order, or descending
    /// when `reverse` (then starting from the largest key below the upper bound).
    /// `limit` must lie in `1...StoreLimits.maxScanLimit`.
    func scan(
        _ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool
    ) throws(StoreError) -> [KeyValuePair]
}

extension KeyValueReader {
    public func scan(_ columnFamily: ColumnFamily, range: KeyRange, limit: Int) throws(StoreError) -> [KeyValuePair] {
        try scan(columnFamily, range: range, limit: limit, reverse: false)
    }
}

/// A consistent, read-only view of a store at the moment it was taken.
///
/// It pins engine resources, so release it with `close()` as soon as it is no
/// longer needed (dropping the last reference closes it too). Closing the
/// store closes its snapshots; reads after either throw `StoreError.closed`.
public protocol KeyValueSnapshot: KeyValueReader, AnyObject {
    /// Idempotent.
    func close()
}

/// An ordered key-value store with column families and atomic write batches.
/// Safe to use from many threads at once.
public protocol KeyValueStore: KeyValueReader, AnyObject {
    /// The column families this store was opened with, `default` included.
    var columnFamilies: Set<ColumnFamily> { get }

    /// Applies the whole batch atomically, or nothing of it when it throws.
    /// With `sync`, returns only after the batch is durable on disk.
    func write(_ batch: WriteBatch, sync: Bool) throws(StoreError)

    func snapshot() throws(StoreError) -> any KeyValueSnapshot

    /// Releases the store and its snapshots. Idempotent; later calls on the
    /// store or its snapshots throw `StoreError.closed`.
    func close()
}
