/// Hard bounds on what a store accepts. They keep every write and every scan
/// bounded in memory and time, and both backends enforce them identically so
/// that tests on memory predict behaviour on disk.
public enum StoreLimits {
    /// Longest key accepted by `get`, `put` and `delete`.
    public static let maxKeyBytes = 4 * 1024
    /// Longest value accepted by `put`.
    public static let maxValueBytes = 64 * 1024 * 1024
    /// Most operations in one `WriteBatch`.
    public static let maxBatchOperations = 1_000_000
    /// Most key plus value bytes in one `WriteBatch`.
    public static let maxBatchBytes = 256 * 1024 * 1024
    /// Largest `limit` a single scan may ask for.
    public static let maxScanLimit = 100_000
    /// Largest (and default) byte cap of a single scan: a scan stops once the
    /// key plus value bytes it has gathered reach this many (see
    /// `KeyValueReader.scan`), so one page holds less than this plus one entry.
    public static let maxScanBytes = 64 * 1024 * 1024
}
