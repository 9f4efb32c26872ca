/// Writing a run of ascending keys in one walk.
///
/// A block's batch reaches the store sorted (state-tree records and overlay
/// writes alike), and one key at a time walks, copies where shared and
/// rebalances the top of the tree once per key. Splitting the run at each
/// node instead visits a node once for all the keys below it, and rebuilds
/// balance by joining (Blelloch, Ferizovic and Sun, "Just Join for Parallel
/// Ordered Sets", 2016): the same tree shape rules, a fraction of the work
/// for runs of thousands of keys.
extension PersistentSortedMap {
    struct Entry {
        let key: [UInt8]
        let prefix: UInt64
        let value: [UInt8]

        init(key: [UInt8], value: [UInt8]) {
            self.key = key
            self.prefix = keyPrefix(key)
            self.value = value
        }
    }
}

extension PersistentSortedMap.Node {
    typealias Entry = PersistentSortedMap.Entry

    static func insert(ascending entries: ArraySlice<Entry>, into slot: inout PersistentSortedMap.Node?) {
        guard let first = entries.first else { return }
        guard entries.count > 1 else {
            insert(first.key, first.prefix, first.value, into: &slot)
            return
        }
        guard slot != nil else {
            slot = build(entries)
            return
        }
        makeUnique(&slot)
        var middle = slot.take()
        let node = middle!
        // First entry not below the node's key.
        var low = entries.startIndex, high = entries.endIndex
        while low < high {
            let mid = low + (high - low) / 2
            if compareBytes(entries[mid].key, entries[mid].prefix, node.key, node.keyPrefix) < 0 {
                low = mid + 1
            } else {
                high = mid
            }
        }
        var above = low
        if low < entries.endIndex,
           compareBytes(entries[low].key, entries[low].prefix, node.key, node.keyPrefix) == 0 {
            node.value = entries[low].value
            above += 1
        }
        var left = node.left.take()
        insert(ascending: entries[entries.startIndex..<low], into: &left)
        var right = node.right.take()
        insert(ascending: entries[above...], into: &right)
        slot = join(&left, &middle, &right)
    }

    /// A balanced tree of ascending entries: heights of siblings differ by at most one.
    private static func build(_ entries: ArraySlice<Entry>) -> PersistentSortedMap.Node? {
        guard !entries.isEmpty else { return nil }
        let mid = entries.startIndex + entries.count / 2
        let entry = entries[mid]
        return PersistentSortedMap.Node(
            entry.key, entry.value, build(entries[entries.startIndex..<mid]), build(entries[(mid + 1)...]))
    }

    /// One AVL tree of `left`, the single node `middle` and `right`, whose keys
    /// ascend in that order; the three slots are emptied so that every node
    /// stays referenced from one place alone. `middle` is this version's own.
    private static func join(
        _ left: inout PersistentSortedMap.Node?, _ middle: inout PersistentSortedMap.Node?,
        _ right: inout PersistentSortedMap.Node?
    ) -> PersistentSortedMap.Node? {
        let leftHeight = height(left), rightHeight = height(right)
        if leftHeight > rightHeight + 1 {
            joinRight(&left, &middle, &right)
            return left.take()
        }
        if rightHeight > leftHeight + 1 {
            joinLeft(&left, &middle, &right)
            return right.take()
        }
        let node = middle.take()!
        node.left = left.take()
        node.right = right.take()
        node.height = 1 + max(leftHeight, rightHeight)
        return node
    }

    /// `tall` is more than one level higher than `right`: walk down its right
    /// spine to the first subtree no more than one level higher than `right`,
    /// put `middle` there, and rebalance on the way back up, where heights
    /// differ by two at most, as after a single insertion.
    private static func joinRight(
        _ tall: inout PersistentSortedMap.Node?, _ middle: inout PersistentSortedMap.Node?,
        _ right: inout PersistentSortedMap.Node?
    ) {
        makeUnique(&tall)
        let node = tall!
        var spine = node.right.take()
        if height(spine) <= height(right) + 1 {
            let joined = middle.take()!
            joined.left = spine.take()
            joined.right = right.take()
            joined.height = 1 + max(height(joined.left), height(joined.right))
            node.right = joined
        } else {
            joinRight(&spine, &middle, &right)
            node.right = spine.take()
        }
        rebalance(&tall)
    }

    /// The mirror of `joinRight`: `tall` is more than one level higher than `left`.
    private static func joinLeft(
        _ left: inout PersistentSortedMap.Node?, _ middle: inout PersistentSortedMap.Node?,
        _ tall: inout PersistentSortedMap.Node?
    ) {
        makeUnique(&tall)
        let node = tall!
        var spine = node.left.take()
        if height(spine) <= height(left) + 1 {
            let joined = middle.take()!
            joined.right = spine.take()
            joined.left = left.take()
            joined.height = 1 + max(height(joined.left), height(joined.right))
            node.left = joined
        } else {
            joinLeft(&left, &middle, &spine)
            node.left = spine.take()
        }
        rebalance(&tall)
    }
}
