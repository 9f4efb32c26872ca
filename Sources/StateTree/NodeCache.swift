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
/// and a hit in the older generation moves the entry forward. Nodes on every
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

    /// A hash as a dictionary key, hashed on its first word: digests are
    /// uniform, so the other three only cost time.
    struct Key: Hashable {
        let hash: TreeHash

        func hash(into hasher: inout Hasher) {
            hasher.combine(hash.w0)
        }
    }

    struct Entry {
        let depth: Int
        let node: StoredNode
    }

    /// @unchecked: only the update that took it out of the cache's mutex
    /// touches it until it is put back.
    final class Table: @unchecked Sendable {
        private let generationLimit: Int
        private var newer: [Key: Entry]
        private var older: [Key: Entry] = [:]

        init(capacity: Int) {
            self.generationLimit = max(1, capacity / 2)
            // Sized once, so filling a generation never rehashes it.
            self.newer = Dictionary(minimumCapacity: generationLimit)
        }

        func node(hash: TreeHash, depth: Int) -> StoredNode? {
            let key = Key(hash: hash)
            if let entry = newer[key] {
                return entry.depth == depth ? entry.node : nil
            }
            guard let entry = older.removeValue(forKey: key), entry.depth == depth else { return nil }
            insert(key, entry)
            return entry.node
        }

        func insert(_ node: StoredNode, hash: TreeHash, depth: Int) {
            insert(Key(hash: hash), Entry(depth: depth, node: node))
        }

        private func insert(_ key: Key, _ entry: Entry) {
            if newer.count >= generationLimit, newer[key] == nil {
                older = newer
                newer = Dictionary(minimumCapacity: generationLimit)
            }
            newer[key] = entry
        }
    }
}
