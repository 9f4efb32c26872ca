/// Every way a store operation can refuse or fail. Callers get one of these,
/// never a trap, so a node can report the cause and stop cleanly.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The database at `path` could not be opened (missing, locked, corrupt, ...).
    case open(path: String, reason: String)
    /// The storage engine reported a failure while reading or writing.
    case io(reason: String)
    /// The column family was not declared when the store was opened.
    case unknownColumnFamily(String)
    /// The name does not satisfy `ColumnFamily`'s rules.
    case invalidColumnFamilyName(String)
    /// A key is longer than `StoreLimits.maxKeyBytes`.
    case keyTooLarge(bytes: Int)
    /// A value is longer than `StoreLimits.maxValueBytes`.
    case valueTooLarge(bytes: Int)
    /// A batch exceeds `StoreLimits.maxBatchOperations` or `StoreLimits.maxBatchBytes`.
    case batchTooLarge(operations: Int, bytes: Int)
    /// A scan limit outside `1...StoreLimits.maxScanLimit`.
    case invalidLimit(Int)
    /// A scan byte cap outside `1...StoreLimits.maxScanBytes`.
    case invalidScanBytes(Int)
    /// The store or snapshot was closed before this call.
    case closed

    public var description: String {
        switch self {
        case let .open(path, reason):
            return "cannot open store at '\(path)': \(reason)"
        case let .io(reason):
            return "storage failure: \(reason)"
        case let .unknownColumnFamily(name):
            return "unknown column family '\(name)' (not declared when the store was opened)"
        case let .invalidColumnFamilyName(name):
            return "invalid column family name '\(name)': use 1 to \(ColumnFamily.maxNameLength) characters from [a-z0-9_]"
        case let .keyTooLarge(bytes):
            return "key is \(bytes) bytes; the limit is \(StoreLimits.maxKeyBytes)"
        case let .valueTooLarge(bytes):
            return "value is \(bytes) bytes; the limit is \(StoreLimits.maxValueBytes)"
        case let .batchTooLarge(operations, bytes):
            return "write batch has \(operations) operations and \(bytes) bytes; the limits are \(StoreLimits.maxBatchOperations) operations and \(StoreLimits.maxBatchBytes) bytes"
        case let .invalidLimit(limit):
            return "scan limit \(limit) is outside 1...\(StoreLimits.maxScanLimit)"
        case let .invalidScanBytes(bytes):
            return "scan byte cap \(bytes) is outside 1...\(StoreLimits.maxScanBytes)"
        case .closed:
            return "the store or snapshot is closed"
        }
    }
}
