import CRocksDB

/// Read-path settings for a ledger's access pattern: point reads of records
/// and state-tree nodes, most of them for keys written long ago, many for
/// keys that do not exist yet (a new invoice, a new licence).
///
/// RocksDB's defaults (an 8 MiB block cache, no filters) sent a state-tree
/// read on a chain of 200,000 transactions through the memtable's skip list,
/// every level-0 file's index and a `pread` plus decompression of a block:
/// apply ran at 2,522–2,582 tx/s in blocks of 50 against 13,137 on a new
/// chain; with these settings 3,368–3,392 (`bench-ledger --preload-blocks
/// 200 --block-size 50`, docs/performance.md).
enum RocksDBTuning {
    /// Applies `settings` to `options`, which then own everything made here:
    /// the table factory copies the table options and holds the cache and
    /// the filter policy.
    static func apply(_ settings: RocksDBStore.Options, to options: OpaquePointer) {
        if let table = rocksdb_block_based_options_create() {
            defer { rocksdb_block_based_options_destroy(table) }
            if settings.blockCacheBytes > 0, let cache = rocksdb_cache_create_lru(settings.blockCacheBytes) {
                rocksdb_block_based_options_set_block_cache(table, cache)
                // The table options keep their own reference to the cache.
                rocksdb_cache_destroy(cache)
            }
            if settings.bloomBitsPerKey > 0, let policy = rocksdb_filterpolicy_create_bloom_full(Double(settings.bloomBitsPerKey)) {
                // Owned by the table options from here on.
                rocksdb_block_based_options_set_filter_policy(table, policy)
            }
            // A hash index inside each data block: a point read finds its
            // key without a binary search over the block's restart points.
            rocksdb_block_based_options_set_data_block_index_type(table, Int32(rocksdb_block_based_table_data_block_index_type_binary_search_and_hash))
            rocksdb_block_based_options_set_data_block_hash_ratio(table, 0.75)
            rocksdb_options_set_block_based_table_factory(options, table)
        }
        if settings.bloomBitsPerKey > 0 {
            // A filter over each memtable's whole keys: a read of an older
            // key skips the skip list, which cache misses make costly.
            rocksdb_options_set_memtable_whole_key_filtering(options, 1)
            rocksdb_options_set_memtable_prefix_bloom_size_ratio(options, 0.02)
        }
    }
}
