/// Hard caps that bound every decoder and every in-memory structure, whatever a
/// `Configuration` asks for. A configuration may only be tighter.
public enum ConsensusLimits {
    /// n = 3f + 1 up to f = 5: a handful of bureaus, never hundreds.
    public static let maxReplicas = 16
    /// Largest watermark window L (sequence numbers in flight above the stable checkpoint).
    public static let maxWindow = 64
    public static let maxRequestBytes = 64 * 1024
    public static let maxBatchRequests = 1024
    public static let maxBatchBytes = 1024 * 1024
    /// A window's worth of batches travels inside VIEW-CHANGE and NEW-VIEW, so the
    /// configuration must keep window × batch bytes under this.
    public static let maxAttachedBatchBytes = 16 * 1024 * 1024
    public static let maxSignatureBytes = 128
    /// Entries a catch-up reply carries at most, so one status costs bounded work.
    public static let maxCatchUpSlots = 16
}
