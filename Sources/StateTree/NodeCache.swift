import LedgerCore
import Synchronization

/// Decoded nodes kept across updates, so that the upper levels of the tree,
/// which every block walks, and recently written nodes are not read from the
/// store and decoded again at each block.
///
/// Content-addressed: an entry is found by the hash a parent records for its
/// child (and the child's depth), never by position alone. A node's hash
/// fixes its content, and with the depth its position (a leaf's key hash, an
/// internal node's leaves, lie on one path), so an entry is either exactly
/// what the snapshot being read holds at that position, or never asked for:
/// a parent in that snapshot does not record its hash. Entries therefore
/// need no invalidation when a batch is committed, dropped or replaced by
/// another, and an update gives the same root and the same writes, in the
/// same order, with or without the cache. The root itself is always read
/// from the store: nothing above it records its hash.
///
/// What the cache gives up is re-checking the structure of a cached node
/// against the store on every read: a node that rots in the store after it
/// was cached is noticed only once it leaves the cache.
///
/// Bounded: two generations of at most `capacity / 2` entries each; when the
/// newer one fills up, the older is dropped and the newer takes its place,
/// and a hit in the older generation is copied forward. Nodes on every
/// block's paths (the upper levels) therefore stay, others age out.
///
/// One update at a time takes the entries out and puts them back when done;
/// a concurrent update meanwhile runs without them, which costs reads only.
final class NodeCache: Sendable {
    let capacity: Int
    private let stored: Mutex<Table?>

    init(capacity: Int) {
        self.capacity = capacity
        self.stored = Mutex(Table(capacity: capacity))
    }

    /// The entries, for one update's exclusive use, or nil while another
    /// update holds them.
    func take() -> Table? {
        stored.withLock { $0.take() }
    }

    func putBack(_ table: Table) {
        stored.withLock { slot in
            if slot == nil { slot = table }
        }
    }

    /// @unchecked: only the update that took it out of the cache's mutex
    /// touches it until it is put back.
    final class Table: @unchecked Sendable {
        private let generationLimit: Int
        private var newer: Generation
        private var older: Generation

        init(capacity: Int) {
            self.generationLimit = max(1, capacity / 2)
            // Sized once, so filling a generation never rehashes it.
            self.newer = Generation(limit: generationLimit)
            self.older = Generation(limit: 0)
        }

        func node(hash: TreeHash, depth: Int) -> StoredNode? {
            if let found = newer.find(hash) {
                return found.depth == depth ? found.node : nil
            }
            // A hit in the older generation is copied forward; the copy left
            // behind is the same content under the same hash, and goes when
            // its generation does.
            guard let found = older.find(hash), found.depth == depth else { return nil }
            insert(found.node, hash: hash, depth: depth)
            return found.node
        }

        func insert(_ node: StoredNode, hash: TreeHash, depth: Int) {
            // Zero marks a free slot. No node hashes to it: that would be a
            // preimage of the placeholder, so such a node is just not cached.
            guard hash != .zero else { return }
            if newer.count >= generationLimit, newer.find(hash) == nil {
                // The dropped generation's slots become the new one's: a
                // fresh allocation of this size cost a page fault per page,
                // several times clearing it in place.
                swap(&older, &newer)
                newer.reset(limit: generationLimit)
            }
            newer.insert(node, hash: hash, depth: depth)
        }
    }

    /// One generation: open addressing with linear probing over a power of
    /// two of slots, never more than half full, the slot picked by the
    /// hash's first word (node hashes are uniform). One array of slots, so
    /// that a look-up touches one or two cache lines; a `Dictionary` kept
    /// keys and values apart and ran SipHash over each key, which together
    /// were most of an update's time outside the store.
    struct Generation {
        struct Slot {
            var hash: TreeHash
            var depth: Int
            var node: StoredNode
        }

        private var slots: [Slot]
        private let mask: Int
        private(set) var count = 0

        init(limit: Int) {
            var size = 2
            while size < 2 * limit { size <<= 1 }
            self.slots = Array(
                repeating: Slot(hash: .zero, depth: 0, node: .internal(left: .empty, right: .empty)), count: size)
            self.mask = size - 1
        }

        /// Empty, with room for `limit` entries, in the same storage when it has it.
        mutating func reset(limit: Int) {
            guard slots.count >= 2 * limit else {
                self = Generation(limit: limit)
                return
            }
            for index in slots.indices { slots[index].hash = .zero }
            count = 0
        }

        func find(_ hash: TreeHash) -> (depth: Int, node: StoredNode)? {
            var index = Int(truncatingIfNeeded: hash.w0) & mask
            // Ends: at least half the slots are free.
            while true {
                let stored = slots[index].hash
                if stored == hash { return (slots[index].depth, slots[index].node) }
                if stored == .zero { return nil }
                index = (index &+ 1) & mask
            }
        }

        /// `hash` is not zero; a slot already holding it is overwritten.
        mutating func insert(_ node: StoredNode, hash: TreeHash, depth: Int) {
            var index = Int(truncatingIfNeeded: hash.w0) & mask
            while true {
                let stored = slots[index].hash
                if stored == .zero { count += 1 }
                if stored == .zero || stored == hash {
                    slots[index] = Slot(hash: hash, depth: depth, node: node)
                    return
                }
                index = (index &+ 1) & mask
            }
        }
    }
}
