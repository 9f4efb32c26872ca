/// Read access shared by live stores and snapshots.
///
/// Keys are ordered bytewise (unsigned, a prefix before its extensions), the
/// order of RocksDB's default comparator. Every scan is bounded twice, by an
/// entry count (`limit`) and by a byte cap (`maxBytes`), so one call returns
/// less than `StoreLimits.maxScanBytes` plus one entry; a larger read is a
/// series of pages.
public protocol KeyValueReader: Sendable {
    /// The value stored under `key`, or nil when there is none.
    func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StoreError) -> [UInt8]?

    /// Entries of `range` in ascending key order, or descending when
    /// `reverse` (then starting from the largest key below the upper bound).
    ///
    /// The scan stops at whichever comes first:
    /// - `limit` entries (`limit` must lie in `1...StoreLimits.maxScanLimit`);
    /// - the end of the range;
    /// - the entry that brings the key plus value bytes returned so far to
    ///   `maxBytes` or beyond (`maxBytes` must lie in
    ///   `1...StoreLimits.maxScanBytes`). That entry is included, so a range
    ///   with any entry yields at least one, and a page holds less than
    ///   `maxBytes` plus one entry.
    ///
    /// A page with fewer than `limit` entries and fewer than `maxBytes` key
    /// plus value bytes reached the end of the range. Otherwise there may be
    /// more: scan `range.remaining(after: lastKey, reverse:)` next.
    func scan(
        _ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int
    ) throws(StoreError) -> [KeyValuePair]
}

extension KeyValueReader {
    /// A scan capped at `StoreLimits.maxScanBytes`; see the requirement above.
    public func scan(
        _ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool = false
    ) throws(StoreError) -> [KeyValuePair] {
        try scan(columnFamily, range: range, limit: limit, reverse: reverse, maxBytes: StoreLimits.maxScanBytes)
    }
}

/// A consistent, read-only view of a store at the moment it was taken.
///
/// It pins engine resources, so release it with `close()` as soon as it is no
/// longer needed (dropping the last reference closes it too). Closing the
/// store closes its snapshots; reads after either throw `StoreError.closed`.
public protocol KeyValueSnapshot: KeyValueReader, AnyObject {
    /// Idempotent. Reads already running on other threads finish normally;
    /// the engine's snapshot is released when the last of them returns.
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

    /// Releases the store and its snapshots. Idempotent. Every call that
    /// starts after `close()` returns, on the store or on its snapshots,
    /// throws `StoreError.closed`.
    ///
    /// `close()` does not wait for calls already running on other threads
    /// (on the store or its snapshots): they finish normally, and the
    /// backend's resources are released when the last of them returns. So
    /// the release is immediate when no call is in flight, and eventual
    /// otherwise. For `RocksDBStore` this means the files, including the
    /// directory's `LOCK`, stay held until those calls end: reopening the
    /// same path in the same process right after `close()` fails with
    /// `StoreError.open` (lock held) if, and only if, such calls were still
    /// running. Stop the threads that use a store before closing it when you
    /// mean to reopen it at once.
    func close()
}
