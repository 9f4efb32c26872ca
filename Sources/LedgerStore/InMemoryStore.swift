import Synchronization

/// A `KeyValueStore` kept in memory, for tests and the simulator.
///
/// It follows the same contract as `RocksDBStore` — ordering, limits, error
/// order, snapshot isolation, close semantics — so code tested on it behaves
/// the same on disk. Nothing survives the process.
public final class InMemoryStore: KeyValueStore {
    struct State: Sendable {
        var isClosed = false
        var families: [ColumnFamily: PersistentSortedMap]
    }

    public let columnFamilies: Set<ColumnFamily>
    private let state: Mutex<State>

    /// `default` is always included.
    public init(columnFamilies: [ColumnFamily] = []) {
        let declared = Set(columnFamilies).union([.default])
        self.columnFamilies = declared
        var families: [ColumnFamily: PersistentSortedMap] = [:]
        for family in declared {
            families[family] = PersistentSortedMap()
        }
        self.state = Mutex(State(families: families))
    }

    var isClosed: Bool {
        state.withLock { $0.isClosed }
    }

    public func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StoreError) -> [UInt8]? {
        let families = try currentFamilies()
        return try InMemoryStore.get(key, in: columnFamily, from: families, declared: columnFamilies)
    }

    public func scan(
        _ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int
    ) throws(StoreError) -> [KeyValuePair] {
        let families = try currentFamilies()
        return try InMemoryStore.scan(
            columnFamily, range: range, limit: limit, reverse: reverse, maxBytes: maxBytes,
            from: families, declared: columnFamilies)
    }

    /// `sync` is accepted for the protocol's sake; there is no disk to reach.
    public func write(_ batch: WriteBatch, sync: Bool) throws(StoreError) {
        let declared = columnFamilies
        try state.withLock { (state: inout State) throws(StoreError) in
            guard !state.isClosed else { throw .closed }
            try batch.validate(declared: declared)
            // Validation above guarantees every family exists. Each run of
            // operations on one family works on that family's map taken out
            // of the dictionary: one look-up per run rather than per
            // operation, and the map stays uniquely referenced, so its nodes
            // are changed in place unless a snapshot shares them. Puts with
            // ascending keys are gathered and written in one walk.
            var current: (family: ColumnFamily, map: PersistentSortedMap)?
            var run: [PersistentSortedMap.Entry] = []
            func endRun() {
                current?.map.set(ascending: run[...])
                run.removeAll(keepingCapacity: true)
            }
            for operation in batch.operations {
                let family: ColumnFamily
                switch operation {
                case let .put(_, _, columnFamily), let .delete(_, columnFamily):
                    family = columnFamily
                }
                if current?.family != family {
                    endRun()
                    if let current { state.families[current.family] = current.map }
                    current = state.families.removeValue(forKey: family).map { (family, $0) }
                }
                switch operation {
                case let .put(key, value, _):
                    // A key not above the last (one written twice) starts a
                    // new run, so writes keep their order.
                    if let last = run.last, compareBytes(last.key, key) >= 0 { endRun() }
                    run.append(PersistentSortedMap.Entry(key: key, value: value))
                case let .delete(key, _):
                    endRun()
                    current?.map.remove(key)
                }
            }
            endRun()
            if let current { state.families[current.family] = current.map }
        }
    }

    public func snapshot() throws(StoreError) -> any KeyValueSnapshot {
        let families = try currentFamilies()
        return InMemorySnapshot(store: self, families: families)
    }

    public func close() {
        state.withLock { state in
            state.isClosed = true
            // Drop the data now rather than when the last reference goes.
            state.families = [:]
        }
    }

    /// Copying the dictionary of tree roots is the whole cost of a snapshot.
    private func currentFamilies() throws(StoreError) -> [ColumnFamily: PersistentSortedMap] {
        try state.withLock { (state: inout State) throws(StoreError) in
            guard !state.isClosed else { throw .closed }
            return state.families
        }
    }

    static func get(
        _ key: [UInt8], in columnFamily: ColumnFamily,
        from families: [ColumnFamily: PersistentSortedMap], declared: Set<ColumnFamily>
    ) throws(StoreError) -> [UInt8]? {
        try Validate.get(key, columnFamily, declared: declared)
        return families[columnFamily]?.value(for: key)
    }

    static func scan(
        _ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int,
        from families: [ColumnFamily: PersistentSortedMap], declared: Set<ColumnFamily>
    ) throws(StoreError) -> [KeyValuePair] {
        try Validate.scan(columnFamily, limit: limit, maxBytes: maxBytes, declared: declared)
        return families[columnFamily]?.entries(in: range, limit: limit, reverse: reverse, maxBytes: maxBytes) ?? []
    }
}
