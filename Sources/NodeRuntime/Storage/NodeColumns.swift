import LedgerState
import LedgerStore

/// The node's column families: the ledger's own, plus the block archive and
/// the consensus log, all in one RocksDB so that a block, its certificate and
/// the state it produced are one atomic write.
public enum NodeColumns {
    /// Height (8 bytes big-endian) → `ArchivedBlock`.
    public static let blocks = try! ColumnFamily("blocks")
    /// Block hash → height (8 bytes big-endian).
    public static let blockHashes = try! ColumnFamily("block_hashes")
    /// Append counter (8 bytes big-endian) → `PersistentRecord`.
    public static let consensus = try! ColumnFamily("consensus")

    public static let all: [ColumnFamily] = LedgerColumns.all + [blocks, blockHashes, consensus]
}

enum BigEndianKey {
    static func encode(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    static func decode(_ bytes: [UInt8]) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
