import LedgerCore

/// Requests waiting to commit, in arrival order, bounded by count and bytes.
/// The primary draws batches from it; every replica times its primary on it.
struct PendingRequests: Sendable {
    private var order: [Digest] = []
    private var entries: [Digest: Entry] = [:]
    private(set) var bytes = 0
    /// Every live entry of `order[..<firstUnproposed]` is proposed, so drawing a
    /// batch starts here. Why: under overload thousands of proposed requests
    /// wait to execute, and the primary draws a batch after every admitted
    /// request; scanning from the front each time was 30 % of a node's samples.
    private var firstUnproposed = 0

    struct Entry: Sendable {
        let bytes: [UInt8]
        /// In a batch of the current view's log, so the primary does not propose it again.
        var proposed = false
    }

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }

    func contains(_ digest: Digest) -> Bool { entries[digest] != nil }

    mutating func append(_ digest: Digest, _ request: [UInt8], maxCount: Int, maxBytes: Int) -> Bool {
        guard entries.count < maxCount, bytes + request.count <= maxBytes else { return false }
        entries[digest] = Entry(bytes: request)
        order.append(digest)
        bytes += request.count
        return true
    }

    mutating func remove(_ digest: Digest) {
        guard let entry = entries.removeValue(forKey: digest) else { return }
        bytes -= entry.bytes.count
        // Removal leaves a hole in `order`; compacting when holes outnumber
        // entries keeps the array within twice the live count.
        if order.count > 2 * entries.count + 16 {
            order = order.filter { entries[$0] != nil }
            firstUnproposed = 0
        }
    }

    mutating func removeAll() {
        order = []
        entries = [:]
        bytes = 0
        firstUnproposed = 0
    }

    mutating func setProposed(_ digest: Digest, _ proposed: Bool) {
        entries[digest]?.proposed = proposed
    }

    mutating func clearProposed() {
        for key in entries.keys { entries[key]?.proposed = false }
        firstUnproposed = 0
    }

    /// Unproposed requests in arrival order, up to the batch limits. Mutating
    /// only to move past the proposed front; the result is the same either way.
    mutating func nextBatch(maxCount: Int, maxBytes: Int) -> (digests: [Digest], requests: [[UInt8]], full: Bool) {
        while firstUnproposed < order.count, entries[order[firstUnproposed]]?.proposed ?? true {
            firstUnproposed += 1
        }
        var digests: [Digest] = []
        var requests: [[UInt8]] = []
        var size = 0
        for digest in order[firstUnproposed...] {
            guard let entry = entries[digest], !entry.proposed else { continue }
            if requests.count == maxCount || size + entry.bytes.count > maxBytes {
                return (digests, requests, true)
            }
            digests.append(digest)
            requests.append(entry.bytes)
            size += entry.bytes.count
        }
        return (digests, requests, requests.count == maxCount || size == maxBytes)
    }
}

/// The digests of the most recently executed requests, first in first out, so a
/// late duplicate of a request is not queued again. Best effort only: the
/// application is what guarantees a request takes effect at most once.
struct RecentRequests: Sendable {
    private var ring: [Digest] = []
    private var members: Set<Digest> = []
    private var next = 0
    let capacity: Int

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    func contains(_ digest: Digest) -> Bool { members.contains(digest) }

    mutating func insert(_ digest: Digest) {
        guard !members.contains(digest) else { return }
        if ring.count < capacity {
            ring.append(digest)
        } else {
            members.remove(ring[next])
            ring[next] = digest
            next = (next + 1) % capacity
        }
        members.insert(digest)
    }
}
