import LedgerCore
import LedgerStore

/// One `StateTree.update`: a single walk down the union of the changed paths
/// and back up, hashing each changed node once.
///
/// Every position is visited at most once and its fate decided exactly once,
/// so no node is read twice and no key is written twice: a node whose outcome
/// is an internal node writes itself; a position whose outcome is a leaf or
/// nothing is settled by its parent, which alone knows whether the leaf stays
/// there or is lifted further up.
///
/// A class so that the recursion shares one instance instead of copying a
/// struct of existentials at every mutating call.
final class TreeUpdate {
    /// One key's change, by path; `valueHash` nil means delete.
    struct Change {
        let path: TreeHash
        let valueHash: TreeHash?

        /// Sorted by path, one change per path. Two keys with the same hash
        /// (a collision of the suite's hash) would share a leaf; the greater
        /// key in byte order wins, so even that case is deterministic.
        static func sorted(_ changes: [[UInt8]: [UInt8]?], hash: some DigestFunction) -> [Change] {
            var keyed = changes.map { key, value in
                (key: key, change: Change(
                    path: TreeHash.of(key, using: hash), valueHash: value.map { TreeHash.of($0, using: hash) }))
            }
            keyed.sort { lhs, rhs in
                lhs.change.path != rhs.change.path
                    ? lhs.change.path < rhs.change.path
                    : lhs.key.lexicographicallyPrecedes(rhs.key)
            }
            var out: [Change] = []
            out.reserveCapacity(keyed.count)
            for entry in keyed {
                if out.last?.path == entry.change.path { out.removeLast() }
                out.append(entry.change)
            }
            return out
        }
    }

    /// What a subtree became.
    enum Outcome {
        case empty
        /// Exactly one leaf. `content` is nil for a leaf the update did not
        /// touch, still stored where it was; it is read only if it must move.
        case leaf(hash: TreeHash, content: TreeLeaf?)
        /// Already written at its own position (or unchanged there).
        case internalNode(TreeHash)

        init(untouched ref: ChildRef) {
            switch ref.kind {
            case .empty: self = .empty
            case .leaf: self = .leaf(hash: ref.hash, content: nil)
            case .internal: self = .internalNode(ref.hash)
            }
        }

        var ref: ChildRef {
            switch self {
            case .empty: return .empty
            case let .leaf(hash, _): return ChildRef(kind: .leaf, hash: hash)
            case let .internalNode(hash): return ChildRef(kind: .internal, hash: hash)
            }
        }
    }

    let nodes: NodeReader
    let hash: any DigestFunction
    /// Position and new record, nil for a delete; in walk order, which
    /// depends only on the sorted changes.
    private(set) var writes: [(position: NodePosition, record: [UInt8]?)] = []

    /// The writes in ascending store-key order. RocksDB inserts a batch into
    /// its memtable (a skip list) one key at a time, and a key next to the
    /// previous one is found from there rather than from the top: in walk
    /// order, which jumps between depths, the inserts cost most of the write.
    /// The order is a function of the writes alone, so replicas still build
    /// identical batches.
    /// Sorts in place, once the walk is done.
    func writesInKeyOrder() -> [(position: NodePosition, record: [UInt8]?)] {
        // A key is the depth, then the prefix bytes; positions at one depth
        // have keys of one length, so (depth, prefix) orders them as bytes.
        writes.sort { lhs, rhs in
            lhs.position.depth != rhs.position.depth
                ? lhs.position.depth < rhs.position.depth
                : lhs.position.prefix < rhs.position.prefix
        }
        return writes
    }

    init(nodes: NodeReader, hash: any DigestFunction) {
        self.nodes = nodes
        self.hash = hash
    }

    func run(_ changes: [Change]) throws(StateTreeError) -> TreeHash {
        let rootNode = try nodes.node(at: .root)
        let old = rootNode.map { node in
            switch node {
            case .leaf: return ChildRef(kind: .leaf, hash: node.hash(using: hash))
            case .internal: return ChildRef(kind: .internal, hash: node.hash(using: hash))
            }
        } ?? .empty
        guard !changes.isEmpty else { return old.hash }
        let outcome = try update(.root, old: old, loaded: rootNode, changes: changes[...])
        settle(.root, old: old, outcome: outcome, placedHere: true)
        return outcome.ref.hash
    }

    /// Applies `changes` (all on paths through `position`) to the subtree
    /// there, whose parent records it as `old`.
    private func update(
        _ position: NodePosition, old: ChildRef, loaded: StoredNode?, changes: ArraySlice<Change>
    ) throws(StateTreeError) -> Outcome {
        switch old.kind {
        case .empty:
            return try build(position, old: old, leaves: changes.compactMap { change in
                change.valueHash.map { TreeLeaf(keyHash: change.path, valueHash: $0) }
            }[...])
        case .leaf:
            let existing: TreeLeaf
            if case let .leaf(leaf) = loaded {
                existing = leaf
            } else {
                existing = try nodes.leaf(at: position, expected: old)
            }
            return try build(position, old: old, leaves: Self.merge(existing, changes)[...])
        case .internal:
            let left: ChildRef, right: ChildRef
            if case let .internal(loadedLeft, loadedRight) = loaded {
                (left, right) = (loadedLeft, loadedRight)
            } else {
                (left, right) = try nodes.internalChildren(at: position, expected: old)
            }
            let split = Self.firstRightIndex(changes, depth: position.depth) { $0.path }
            let leftChanges = changes[changes.startIndex..<split]
            let rightChanges = changes[split..<changes.endIndex]
            let leftOutcome = leftChanges.isEmpty
                ? Outcome(untouched: left)
                : try update(position.child(0), old: left, loaded: nil, changes: leftChanges)
            let rightOutcome = rightChanges.isEmpty
                ? Outcome(untouched: right)
                : try update(position.child(1), old: right, loaded: nil, changes: rightChanges)
            return try combine(position, old: old, children: (left, right), outcomes: (leftOutcome, rightOutcome))
        }
    }

    /// The subtree at `position` holding exactly `leaves` (sorted, distinct
    /// paths), where nothing is stored below `position` yet.
    private func build(
        _ position: NodePosition, old: ChildRef, leaves: ArraySlice<TreeLeaf>
    ) throws(StateTreeError) -> Outcome {
        guard let first = leaves.first else { return .empty }
        guard leaves.count > 1 else { return .leaf(hash: first.hash(using: hash), content: first) }
        // Distinct 256-bit paths part before depth 256; reaching it means two
        // equal paths slipped through, which only a bug could cause.
        guard position.depth < NodePosition.maxDepth else {
            throw .corrupt(nodeKey: position.key, reason: "two leaves share a full 256-bit path")
        }
        let split = Self.firstRightIndex(leaves, depth: position.depth) { $0.keyHash }
        let leftOutcome = try build(position.child(0), old: .empty, leaves: leaves[leaves.startIndex..<split])
        let rightOutcome = try build(position.child(1), old: .empty, leaves: leaves[split..<leaves.endIndex])
        return try combine(position, old: old, children: (.empty, .empty), outcomes: (leftOutcome, rightOutcome))
    }

    /// Joins two child outcomes into the outcome at `position`, settling both
    /// child positions, and writes the internal node when there is one.
    private func combine(
        _ position: NodePosition, old: ChildRef, children: (ChildRef, ChildRef), outcomes: (Outcome, Outcome)
    ) throws(StateTreeError) -> Outcome {
        // Child keys are built only when something is written there or read:
        // most combines leave one side untouched.
        switch outcomes {
        case (.empty, .empty):
            settle(position.child(0), old: children.0, outcome: outcomes.0, placedHere: false)
            settle(position.child(1), old: children.1, outcome: outcomes.1, placedHere: false)
            return .empty
        case let (.leaf(leafHash, content), .empty), let (.empty, .leaf(leafHash, content)):
            // Alone in this subtree now: the leaf moves up here or higher.
            let isLeft = if case .leaf = outcomes.0 { true } else { false }
            var lifted = content
            if lifted == nil {
                let from = position.child(isLeft ? 0 : 1)
                let leaf = try nodes.leaf(at: from, expected: isLeft ? children.0 : children.1)
                guard leaf.hash(using: hash) == leafHash else {
                    throw .corrupt(nodeKey: from.key, reason: "leaf does not hash to what its parent records")
                }
                lifted = leaf
            }
            settle(position.child(0), old: children.0, outcome: outcomes.0, placedHere: false)
            settle(position.child(1), old: children.1, outcome: outcomes.1, placedHere: false)
            return .leaf(hash: leafHash, content: lifted)
        default:
            settle(position.child(0), old: children.0, outcome: outcomes.0, placedHere: true)
            settle(position.child(1), old: children.1, outcome: outcomes.1, placedHere: true)
            let node = StoredNode.internal(left: outcomes.0.ref, right: outcomes.1.ref)
            let nodeHash = node.hash(using: hash)
            if old != ChildRef(kind: .internal, hash: nodeHash) {
                writes.append((position, node.record))
                nodes.cache?.insert(node, hash: nodeHash, depth: position.depth)
            }
            return .internalNode(nodeHash)
        }
    }

    /// Decides what `position` holds once its outcome is known to its parent:
    /// the leaf, if the parent keeps it here, or nothing.
    private func settle(
        _ position: @autoclosure () -> NodePosition, old: ChildRef, outcome: Outcome, placedHere: Bool
    ) {
        switch outcome {
        case .internalNode:
            // Written by `combine` at this very position.
            return
        case let .leaf(leafHash, content) where placedHere:
            // A nil content is a leaf that never moved: it is already here.
            guard let content, old != ChildRef(kind: .leaf, hash: leafHash) else { return }
            let at = position()
            writes.append((at, StoredNode.leaf(content).record))
            nodes.cache?.insert(.leaf(content), hash: leafHash, depth: at.depth)
        case .leaf, .empty:
            if old.kind != .empty {
                writes.append((position(), nil))
            }
        }
    }

    /// `existing` with `changes` applied: sorted, deletes dropped.
    private static func merge(_ existing: TreeLeaf, _ changes: ArraySlice<Change>) -> [TreeLeaf] {
        var out: [TreeLeaf] = []
        out.reserveCapacity(changes.count + 1)
        var existingPlaced = false
        for change in changes {
            if !existingPlaced, existing.keyHash <= change.path {
                existingPlaced = true
                // A change to the same key replaces or deletes it.
                if existing.keyHash != change.path { out.append(existing) }
            }
            if let valueHash = change.valueHash {
                out.append(TreeLeaf(keyHash: change.path, valueHash: valueHash))
            }
        }
        if !existingPlaced { out.append(existing) }
        return out
    }

    /// In a slice sorted by path, all sharing the bits above `depth`, the
    /// first index whose bit `depth` is 1 (or the end index).
    private static func firstRightIndex<Element>(
        _ slice: ArraySlice<Element>, depth: Int, path: (Element) -> TreeHash
    ) -> Int {
        var low = slice.startIndex
        var high = slice.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if path(slice[middle]).bit(depth) == 0 {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}
