import CRocksDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Owns one open RocksDB database and its column family handles.
///
/// Reference-counted on purpose: every operation holds a strong reference for
/// its duration, so `RocksDBStore.close()` can drop its own reference at any
/// time and the C handles are destroyed only after the last in-flight read,
/// write or snapshot lets go. Destruction order is the one RocksDB requires:
/// column family handles, then the database, then the options.
///
/// `@unchecked Sendable`: the stored C pointers are never mutated after init,
/// and RocksDB documents `rocksdb_t` and column family handles as safe for
/// concurrent get, write, iterator and snapshot calls. Per-call objects
/// (read/write options, batches, iterators) are created and destroyed within
/// one call and never shared.
final class RocksDBDatabase: @unchecked Sendable {
    let path: String
    let declared: Set<ColumnFamily>
    private let db: OpaquePointer
    private let options: OpaquePointer
    private let handles: [ColumnFamily: OpaquePointer]
    private let allHandles: [OpaquePointer]

    private init(
        path: String, declared: Set<ColumnFamily>, db: OpaquePointer, options: OpaquePointer,
        handles: [ColumnFamily: OpaquePointer], allHandles: [OpaquePointer]
    ) {
        self.path = path
        self.declared = declared
        self.db = db
        self.options = options
        self.handles = handles
        self.allHandles = allHandles
    }

    deinit {
        for handle in allHandles {
            rocksdb_column_family_handle_destroy(handle)
        }
        rocksdb_close(db)
        rocksdb_options_destroy(options)
    }

    // MARK: Opening

    static func open(
        path: String, columnFamilies: [ColumnFamily], options settings: RocksDBStore.Options
    ) throws(StoreError) -> RocksDBDatabase {
        guard !path.isEmpty else { throw .open(path: path, reason: "the path is empty") }
        guard let options = rocksdb_options_create() else {
            throw .open(path: path, reason: "could not allocate RocksDB options")
        }
        rocksdb_options_set_create_if_missing(options, settings.createIfMissing ? 1 : 0)
        rocksdb_options_set_create_missing_column_families(options, settings.createMissingColumnFamilies ? 1 : 0)
        rocksdb_options_set_paranoid_checks(options, 1)
        rocksdb_options_set_max_total_wal_size(options, settings.maxTotalWALBytes)
        RocksDBTuning.apply(settings, to: options)

        let declared = Set(columnFamilies).union([.default])
        // RocksDB refuses a read-write open that does not name every family on
        // disk, so open them all; only the declared ones are reachable.
        let existing: [String]
        switch listColumnFamilies(path: path, options: options) {
        case .success(let names):
            existing = names
        case .failure(let error):
            // Only a database that is not there yet may be created. Anything
            // else (a file in the way, no permission, a corrupt CURRENT) is
            // reported with RocksDB's own words, not papered over by an open
            // that would fail later for a less telling reason.
            guard settings.createIfMissing, isAbsent(path) else {
                rocksdb_options_destroy(options)
                throw .open(path: path, reason: error.reason)
            }
            existing = []
        }
        var names = existing
        for family in declared.sorted() where !names.contains(family.name) {
            names.append(family.name)
        }

        let opened = openColumnFamilies(path: path, names: names, options: options)
        switch opened {
        case .failure(let error):
            rocksdb_options_destroy(options)
            throw .open(path: path, reason: error.reason)
        case .success(let (db, allHandles)):
            var handles: [ColumnFamily: OpaquePointer] = [:]
            for (name, handle) in zip(names, allHandles) {
                if let family = try? ColumnFamily(name), declared.contains(family) {
                    handles[family] = handle
                }
            }
            return RocksDBDatabase(
                path: path, declared: declared, db: db, options: options,
                handles: handles, allHandles: allHandles)
        }
    }

    /// True when there is no database at `path` yet: the directory, or the
    /// `CURRENT` file RocksDB opens first, does not exist. `lstat`, so a
    /// dangling symlink counts as present and its failure is reported.
    private static func isAbsent(_ path: String) -> Bool {
        var info = stat()
        let current = path.hasSuffix("/") ? path + "CURRENT" : path + "/CURRENT"
        return lstat(current, &info) != 0 && errno == ENOENT
    }

    struct Failure: Error {
        let reason: String
    }

    static func listColumnFamilies(path: String, options: OpaquePointer) -> Result<[String], Failure> {
        var count = 0
        let (list, error) = RocksDBCall.capturingError { error in
            rocksdb_list_column_families(options, path, &count, error)
        }
        if let error { return .failure(Failure(reason: error)) }
        guard let list else { return .failure(Failure(reason: "RocksDB listed no column families")) }
        defer { rocksdb_list_column_families_destroy(list, count) }
        var names: [String] = []
        for index in 0..<count {
            guard let name = list[index] else {
                return .failure(Failure(reason: "RocksDB listed a column family without a name"))
            }
            names.append(String(cString: name))
        }
        return .success(names)
    }

    private static func openColumnFamilies(
        path: String, names: [String], options: OpaquePointer
    ) -> Result<(OpaquePointer, [OpaquePointer]), Failure> {
        guard let count = Int32(exactly: names.count) else {
            return .failure(Failure(reason: "too many column families"))
        }
        // strdup'd copies stay valid for the whole call, unlike bridged Strings.
        let cNames: [UnsafeMutablePointer<CChar>?] = names.map { strdup($0) }
        defer { cNames.forEach { free($0) } }
        guard cNames.allSatisfy({ $0 != nil }) else {
            return .failure(Failure(reason: "out of memory copying column family names"))
        }
        let namePointers: [UnsafePointer<CChar>?] = cNames.map { $0.map { UnsafePointer($0) } }
        let familyOptions = [OpaquePointer?](repeating: options, count: names.count)
        var handles = [OpaquePointer?](repeating: nil, count: names.count)

        let (db, error) = RocksDBCall.capturingError { error in
            rocksdb_open_column_families(options, path, count, namePointers, familyOptions, &handles, error)
        }
        let opened = handles.compactMap { $0 }
        if let db, error == nil, opened.count == names.count {
            return .success((db, opened))
        }
        for handle in opened {
            rocksdb_column_family_handle_destroy(handle)
        }
        if let db { rocksdb_close(db) }
        return .failure(Failure(reason: error ?? "RocksDB returned no database handle"))
    }

    // MARK: Operations

    private func handle(for family: ColumnFamily) throws(StoreError) -> OpaquePointer {
        guard let handle = handles[family] else { throw .unknownColumnFamily(family.name) }
        return handle
    }

    func write(_ batch: WriteBatch, sync: Bool) throws(StoreError) {
        try batch.validate(declared: declared)
        guard let writeBatch = rocksdb_writebatch_create() else {
            throw .io(reason: "could not allocate a RocksDB write batch")
        }
        defer { rocksdb_writebatch_destroy(writeBatch) }
        // The handle of the last family, for the long runs of one family a
        // block's batch is made of.
        var last: (family: ColumnFamily, handle: OpaquePointer)?
        func handle(for family: ColumnFamily) throws(StoreError) -> OpaquePointer {
            if let last, last.family == family { return last.handle }
            let found = try self.handle(for: family)
            last = (family, found)
            return found
        }
        for operation in batch.operations {
            switch operation {
            case let .put(key, value, family):
                let handle = try handle(for: family)
                RocksDBCall.withBytes(key) { keyBytes, keyCount in
                    RocksDBCall.withBytes(value) { valueBytes, valueCount in
                        rocksdb_writebatch_put_cf(writeBatch, handle, keyBytes, keyCount, valueBytes, valueCount)
                    }
                }
            case let .delete(key, family):
                let handle = try handle(for: family)
                RocksDBCall.withBytes(key) { keyBytes, keyCount in
                    rocksdb_writebatch_delete_cf(writeBatch, handle, keyBytes, keyCount)
                }
            }
        }
        guard let writeOptions = rocksdb_writeoptions_create() else {
            throw .io(reason: "could not allocate RocksDB write options")
        }
        defer { rocksdb_writeoptions_destroy(writeOptions) }
        rocksdb_writeoptions_set_sync(writeOptions, sync ? 1 : 0)
        try RocksDBCall.check { error in
            rocksdb_write(db, writeOptions, writeBatch, error)
        }
    }

    func createSnapshot() throws(StoreError) -> OpaquePointer {
        guard let snapshot = rocksdb_create_snapshot(db) else {
            throw .io(reason: "RocksDB could not create a snapshot")
        }
        return snapshot
    }

    func releaseSnapshot(_ snapshot: OpaquePointer) {
        rocksdb_release_snapshot(db, snapshot)
    }

    /// Read options for point reads at `snapshot` (nil: the latest state),
    /// checksums verified. The caller destroys them with
    /// `rocksdb_readoptions_destroy` after the last read that uses them.
    /// RocksDB only reads the options during a get, so one set may serve
    /// concurrent reads.
    static func pointReadOptions(snapshot: OpaquePointer?) throws(StoreError) -> OpaquePointer {
        guard let readOptions = rocksdb_readoptions_create() else {
            throw .io(reason: "could not allocate RocksDB read options")
        }
        rocksdb_readoptions_set_verify_checksums(readOptions, 1)
        if let snapshot { rocksdb_readoptions_set_snapshot(readOptions, snapshot) }
        return readOptions
    }

    func get(_ key: [UInt8], in family: ColumnFamily, snapshot: OpaquePointer?) throws(StoreError) -> [UInt8]? {
        try Validate.get(key, family, declared: declared)
        let readOptions = try Self.pointReadOptions(snapshot: snapshot)
        defer { rocksdb_readoptions_destroy(readOptions) }
        return try read(key, in: family, readOptions: readOptions)
    }

    /// A point read with options the caller owns (see `pointReadOptions`).
    func get(_ key: [UInt8], in family: ColumnFamily, readOptions: OpaquePointer) throws(StoreError) -> [UInt8]? {
        try Validate.get(key, family, declared: declared)
        return try read(key, in: family, readOptions: readOptions)
    }

    private func read(_ key: [UInt8], in family: ColumnFamily, readOptions: OpaquePointer) throws(StoreError) -> [UInt8]? {
        let handle = try handle(for: family)

        // A pinnable slice tells "absent" (NULL) from "empty value" (a slice
        // of length 0); rocksdb_get_cf's malloc'd copy of an empty value may
        // itself be NULL.
        let (slice, error) = RocksDBCall.capturingError { error in
            RocksDBCall.withBytes(key) { keyBytes, keyCount in
                rocksdb_get_pinned_cf(db, readOptions, handle, keyBytes, keyCount, error)
            }
        }
        if let error {
            if let slice { rocksdb_pinnableslice_destroy(slice) }
            throw .io(reason: error)
        }
        guard let slice else { return nil }
        defer { rocksdb_pinnableslice_destroy(slice) }
        var count = 0
        let bytes = rocksdb_pinnableslice_value(slice, &count)
        return try RocksDBCall.copy(bytes, count: count, what: "value")
    }

    func scan(
        _ family: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int, snapshot: OpaquePointer?
    ) throws(StoreError) -> [KeyValuePair] {
        try Validate.scan(family, limit: limit, maxBytes: maxBytes, declared: declared)
        let handle = try handle(for: family)
        guard !range.isEmpty else { return [] }

        // Read options keep only a pointer to bound bytes, so the copies must
        // outlive the iterator; defers run in reverse, freeing them last.
        let lower = RocksDBCall.retainedBuffer(range.lowerBound)
        defer { lower.deallocate() }
        let upper = range.upperBound.map(RocksDBCall.retainedBuffer)
        defer { upper?.deallocate() }

        guard let readOptions = rocksdb_readoptions_create() else {
            throw .io(reason: "could not allocate RocksDB read options")
        }
        defer { rocksdb_readoptions_destroy(readOptions) }
        rocksdb_readoptions_set_verify_checksums(readOptions, 1)
        if let snapshot { rocksdb_readoptions_set_snapshot(readOptions, snapshot) }
        // Only the bound in the direction of travel is handed to RocksDB (it
        // stops the iterator early); the start is positioned by seeking, and
        // both bounds are checked again below.
        if reverse {
            if !range.lowerBound.isEmpty {
                rocksdb_readoptions_set_iterate_lower_bound(
                    readOptions, lower.baseAddress?.assumingMemoryBound(to: CChar.self), range.lowerBound.count)
            }
        } else if let upper, let upperBound = range.upperBound {
            rocksdb_readoptions_set_iterate_upper_bound(
                readOptions, upper.baseAddress?.assumingMemoryBound(to: CChar.self), upperBound.count)
        }

        guard let iterator = rocksdb_create_iterator_cf(db, readOptions, handle) else {
            throw .io(reason: "RocksDB could not create an iterator")
        }
        defer { rocksdb_iter_destroy(iterator) }

        if reverse {
            if let upperBound = range.upperBound {
                RocksDBCall.withBytes(upperBound) { rocksdb_iter_seek_for_prev(iterator, $0, $1) }
                // seek_for_prev lands on the bound itself when present; it is excluded.
                if rocksdb_iter_valid(iterator) != 0, try currentKey(iterator) == upperBound {
                    rocksdb_iter_prev(iterator)
                }
            } else {
                rocksdb_iter_seek_to_last(iterator)
            }
        } else {
            RocksDBCall.withBytes(range.lowerBound) { rocksdb_iter_seek(iterator, $0, $1) }
        }

        var result: [KeyValuePair] = []
        var bytes = 0
        while result.count < limit, bytes < maxBytes, rocksdb_iter_valid(iterator) != 0 {
            let key = try currentKey(iterator)
            guard range.contains(key) else { break }
            var valueCount = 0
            let valueBytes = rocksdb_iter_value(iterator, &valueCount)
            let value = try RocksDBCall.copy(valueBytes, count: valueCount, what: "value")
            result.append(KeyValuePair(key: key, value: value))
            bytes += key.count + value.count
            if reverse {
                rocksdb_iter_prev(iterator)
            } else {
                rocksdb_iter_next(iterator)
            }
        }
        // An iterator also turns invalid on an I/O error or corruption; only
        // this call tells that apart from reaching the end.
        try RocksDBCall.check { error in rocksdb_iter_get_error(iterator, error) }
        return result
    }

    private func currentKey(_ iterator: OpaquePointer) throws(StoreError) -> [UInt8] {
        var count = 0
        let bytes = rocksdb_iter_key(iterator, &count)
        return try RocksDBCall.copy(bytes, count: count, what: "key")
    }
}
