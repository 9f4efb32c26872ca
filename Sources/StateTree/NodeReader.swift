import LedgerCore
import LedgerStore

/// Reads and decodes stored nodes, turning store failures and inconsistent
/// records into `StateTreeError`.
///
/// Hashes recorded in a parent are trusted when the child is read: checking
/// them would double the hashing of an update, and the store's own checksums
/// already guard against bit rot. Structure is always checked, since it is
/// what decides where reads and writes go.
///
/// Not generic over the reader: the public entry points are generic, but
/// callers in other modules cannot specialise them, and unspecialised generic
/// code (witness-table copies of every value) cost several times the hashing.
/// One dynamic call per `get` costs nothing by comparison.
struct NodeReader {
    let reader: any KeyValueReader
    let columnFamily: ColumnFamily
    /// Nodes by the hash their parent records (see `NodeCache`); children are
    /// looked up there before the store. Filled by `TreeUpdate` with the nodes
    /// it writes, whose hashes it computed, never with records read, whose
    /// hashes are trusted but not checked.
    var cache: NodeCache.Table? = nil

    func node(at position: NodePosition) throws(StateTreeError) -> StoredNode? {
        let record: [UInt8]?
        do {
            record = try reader.get(position.key, in: columnFamily)
        } catch {
            throw .store(error)
        }
        guard let record else { return nil }
        return try StoredNode.decode(record, at: position)
    }

    /// The child a parent records as `expected`, which must be there and of that kind.
    func child(at position: NodePosition, expected: ChildRef) throws(StateTreeError) -> StoredNode {
        if let cache, let node = cache.node(hash: expected.hash, depth: position.depth) {
            switch (node, expected.kind) {
            case (.leaf, .leaf), (.internal, .internal):
                return node
            default:
                // Only a hash collision between a leaf and an internal node
                // could get here; the store decides.
                break
            }
        }
        guard let node = try node(at: position) else {
            throw .corrupt(nodeKey: position.key, reason: "missing, but its parent records a \(expected.kind) child here")
        }
        switch (node, expected.kind) {
        case (.leaf, .leaf), (.internal, .internal):
            return node
        default:
            throw .corrupt(nodeKey: position.key, reason: "its parent records a \(expected.kind) child, the record is another kind")
        }
    }

    func leaf(at position: NodePosition, expected: ChildRef) throws(StateTreeError) -> TreeLeaf {
        guard case let .leaf(leaf) = try child(at: position, expected: expected) else {
            throw .corrupt(nodeKey: position.key, reason: "expected a leaf")
        }
        return leaf
    }

    func internalChildren(at position: NodePosition, expected: ChildRef) throws(StateTreeError) -> (ChildRef, ChildRef) {
        guard case let .internal(left, right) = try child(at: position, expected: expected) else {
            throw .corrupt(nodeKey: position.key, reason: "expected an internal node")
        }
        return (left, right)
    }
}
