/// An ordered list of writes applied all together or not at all. Within one
/// batch a later operation on the same key wins over an earlier one.
///
/// Building a batch never fails; the bounds in `StoreLimits` are checked when
/// the batch is handed to `KeyValueStore.write`, which throws instead of trapping.
public struct WriteBatch: Sendable {
    public enum Operation: Hashable, Sendable {
        case put(key: [UInt8], value: [UInt8], columnFamily: ColumnFamily)
        case delete(key: [UInt8], columnFamily: ColumnFamily)
    }

    public private(set) var operations: [Operation] = []
    /// Sum of key and value lengths, the measure bounded by `StoreLimits.maxBatchBytes`.
    public private(set) var byteCount = 0

    public init() {}

    public var isEmpty: Bool { operations.isEmpty }
    public var count: Int { operations.count }

    /// Room for `count` operations in all, so that a writer that knows its
    /// size (a block's tens of thousands of writes) does not grow the list
    /// by doubling, each step a new allocation and a copy.
    public mutating func reserveCapacity(_ count: Int) {
        operations.reserveCapacity(count)
    }

    public mutating func put(_ key: [UInt8], _ value: [UInt8], in columnFamily: ColumnFamily = .default) {
        operations.append(.put(key: key, value: value, columnFamily: columnFamily))
        byteCount += key.count + value.count
    }

    public mutating func delete(_ key: [UInt8], in columnFamily: ColumnFamily = .default) {
        operations.append(.delete(key: key, columnFamily: columnFamily))
        byteCount += key.count
    }

    /// Appends every operation of `other`, after this batch's own, so a caller
    /// can make its records part of the same atomic write.
    public mutating func append(contentsOf other: WriteBatch) {
        operations.append(contentsOf: other.operations)
        byteCount += other.byteCount
    }

    /// Checked before anything is applied, so a refused batch leaves no trace.
    /// Both backends call this so they refuse exactly the same batches.
    func validate(declared: Set<ColumnFamily>) throws(StoreError) {
        guard operations.count <= StoreLimits.maxBatchOperations,
              byteCount <= StoreLimits.maxBatchBytes
        else {
            throw .batchTooLarge(operations: operations.count, bytes: byteCount)
        }
        // Batches come in long runs of one family (a block's tree nodes, then
        // its state, ...): a family equal to the last one checked is known,
        // which spares hashing its name per operation.
        var checked: ColumnFamily?
        for operation in operations {
            switch operation {
            case let .put(key, value, columnFamily):
                try Validate.key(key)
                guard value.count <= StoreLimits.maxValueBytes else {
                    throw .valueTooLarge(bytes: value.count)
                }
                if columnFamily != checked {
                    try Validate.columnFamily(columnFamily, in: declared)
                    checked = columnFamily
                }
            case let .delete(key, columnFamily):
                try Validate.key(key)
                if columnFamily != checked {
                    try Validate.columnFamily(columnFamily, in: declared)
                    checked = columnFamily
                }
            }
        }
    }
}
