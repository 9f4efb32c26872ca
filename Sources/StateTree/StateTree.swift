import LedgerCore
import LedgerStore

/// The authenticated map behind every block's state root: a binary sparse
/// Merkle tree over 256-bit paths, compressed as in Diem/Aptos. A subtree
/// holding one leaf is that leaf, placed at the highest position where it is
/// alone; an empty subtree is `TreeHashing.placeholder`.
///
/// A key's path is `H(key)` and its leaf commits to `H(value)`, with `H` the
/// chain's suite, so both suites share this code. The tree keeps the latest
/// version only: nodes are overwritten in place and old roots cannot be
/// proven against once the next update is written.
///
/// The value is stateless apart from its configuration; every call reads the
/// store it is given, so the caller decides which snapshot a root or proof
/// comes from.
public struct StateTree: Sendable {
    public let columnFamily: ColumnFamily
    public let hash: any DigestFunction

    /// The root of a tree with no keys.
    public static let emptyRoot = TreeHashing.placeholder

    /// Decoded nodes kept across updates (see `NodeCache`); nil: none.
    let nodeCache: NodeCache?

    public init(columnFamily: ColumnFamily, hash: any DigestFunction) {
        self.columnFamily = columnFamily
        self.hash = hash
        self.nodeCache = nil
    }

    /// A tree whose updates keep up to `cachedNodes` decoded nodes they wrote
    /// and look children up there before reading the store.
    ///
    /// Copies of the value share the cache. Nodes are found by the hash
    /// their parent records, so the cache is right for any snapshot, whether
    /// or not the batch that wrote them was committed, and updates give the
    /// same roots and batches as without it. Only `update` uses it; roots and
    /// proofs always read the store.
    public init(columnFamily: ColumnFamily, hash: any DigestFunction, cachedNodes: Int) {
        self.columnFamily = columnFamily
        self.hash = hash
        self.nodeCache = cachedNodes > 0 ? NodeCache(capacity: cachedNodes) : nil
    }

    /// Root of the tree as stored (placeholder when empty).
    public func root(in reader: some KeyValueReader) throws(StateTreeError) -> Digest {
        try NodeReader(reader: reader, columnFamily: columnFamily).node(at: .root)?.hash(using: hash).digest ?? Self.emptyRoot
    }

    /// Applies all changes of one block at once (key -> new value, nil =
    /// delete) and returns the new root.
    ///
    /// Current nodes are read from `reader`, which must show the tree as the
    /// last update left it: two updates against the same reader without
    /// writing the first batch in between would each start from the old tree.
    /// Node puts and deletes are appended to `batch` only when the whole
    /// update succeeds, so that the caller writes state, indexes and tree in
    /// one atomic batch; on error `batch` is untouched.
    ///
    /// Deterministic whatever the dictionary order: changes are sorted by
    /// path first. Deleting an absent key, or writing a value a key already
    /// has, changes nothing and writes nothing. Cost: two hashes per change,
    /// then one read and one hash per node on the union of the changed paths
    /// (no node is read twice), and one write per node that changes.
    public func update(
        _ changes: [[UInt8]: [UInt8]?], reader: some KeyValueReader, batch: inout WriteBatch
    ) throws(StateTreeError) -> Digest {
        let table = nodeCache?.take()
        defer { if let table { nodeCache?.putBack(table) } }
        let update = TreeUpdate(
            nodes: NodeReader(reader: reader, columnFamily: columnFamily, cache: table), hash: hash)
        let root = try update.run(TreeUpdate.Change.sorted(changes, hash: hash))
        let writes = update.writesInKeyOrder()
        batch.reserveCapacity(batch.count + writes.count)
        for write in writes {
            if let record = write.record {
                batch.put(write.position.key, record, in: columnFamily)
            } else {
                batch.delete(write.position.key, in: columnFamily)
            }
        }
        return root.digest
    }

    /// Proof for `key` against the current root: inclusion if present,
    /// non-inclusion otherwise. Reads one node per level of the key's path.
    public func prove(_ key: [UInt8], in reader: some KeyValueReader) throws(StateTreeError) -> StateProof {
        let nodes = NodeReader(reader: reader, columnFamily: columnFamily)
        let path = TreeHash.of(key, using: hash)
        var siblings: [Digest] = []
        guard var node = try nodes.node(at: .root) else {
            return StateProof(validatedLeaf: nil, siblings: [])
        }
        var position = NodePosition.root
        // Each pass goes one level down; decoding refuses internal nodes at
        // the maximum depth, so this ends within 256 passes.
        while true {
            switch node {
            case let .leaf(leaf):
                return StateProof(validatedLeaf: leaf.stateLeaf, siblings: siblings)
            case let .internal(left, right):
                let bit = path.bit(position.depth)
                let (next, sibling) = bit == 0 ? (left, right) : (right, left)
                siblings.append(sibling.hash.digest)
                position = position.child(bit)
                guard next.kind != .empty else {
                    return StateProof(validatedLeaf: nil, siblings: siblings)
                }
                node = try nodes.child(at: position, expected: next)
            }
        }
    }
}
