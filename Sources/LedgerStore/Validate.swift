/// Argument checks shared by both backends, run in the same order, so the
/// in-memory store refuses exactly what RocksDB refuses.
enum Validate {
    static func key(_ key: [UInt8]) throws(StoreError) {
        guard key.count <= StoreLimits.maxKeyBytes else {
            throw .keyTooLarge(bytes: key.count)
        }
    }

    static func limit(_ limit: Int) throws(StoreError) {
        guard limit >= 1, limit <= StoreLimits.maxScanLimit else {
            throw .invalidLimit(limit)
        }
    }

    static func scanBytes(_ maxBytes: Int) throws(StoreError) {
        guard maxBytes >= 1, maxBytes <= StoreLimits.maxScanBytes else {
            throw .invalidScanBytes(maxBytes)
        }
    }

    static func columnFamily(_ columnFamily: ColumnFamily, in declared: Set<ColumnFamily>) throws(StoreError) {
        guard declared.contains(columnFamily) else {
            throw .unknownColumnFamily(columnFamily.name)
        }
    }

    /// Order: limit, byte cap, then column family. (Closed-ness is checked by the caller first.)
    static func scan(
        _ columnFamily: ColumnFamily, limit: Int, maxBytes: Int, declared: Set<ColumnFamily>
    ) throws(StoreError) {
        try Validate.limit(limit)
        try Validate.scanBytes(maxBytes)
        try Validate.columnFamily(columnFamily, in: declared)
    }

    /// Order: key length, then column family.
    static func get(_ key: [UInt8], _ columnFamily: ColumnFamily, declared: Set<ColumnFamily>) throws(StoreError) {
        try Validate.key(key)
        try Validate.columnFamily(columnFamily, in: declared)
    }
}
