/// An immutable AVL tree keyed by bytes in bytewise order.
///
/// Updates copy only the nodes on the path from the root that another version
/// still shares (O(log n) new nodes at most) and change the others in place,
/// so keeping an old version — a snapshot — costs nothing until the live
/// version changes, and never more than the nodes that actually changed.
struct PersistentSortedMap: Sendable {
    private var root: Node?

    init() {}

    func value(for key: [UInt8]) -> [UInt8]? {
        let prefix = keyPrefix(key)
        var node = root
        while let current = node {
            let order = compareBytes(key, prefix, current.key, current.keyPrefix)
            if order == 0 { return current.value }
            node = order < 0 ? current.left : current.right
        }
        return nil
    }

    mutating func set(_ value: [UInt8], for key: [UInt8]) {
        Node.insert(key, keyPrefix(key), value, into: &root)
    }

    /// Sets every entry in one walk (see `PersistentSortedMap+SortedRun.swift`).
    /// Keys must be strictly ascending, which callers check as they gather
    /// the run: a key written twice must be written in its order.
    mutating func set(ascending entries: ArraySlice<Entry>) {
        Node.insert(ascending: entries, into: &root)
    }

    mutating func remove(_ key: [UInt8]) {
        guard value(for: key) != nil else { return }
        Node.remove(key, keyPrefix(key), from: &root)
    }

    /// Up to `limit` entries of `range`, ascending or descending, stopping
    /// after the entry that brings the key plus value bytes to `maxBytes`.
    func entries(in range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int = .max) -> [KeyValuePair] {
        guard limit > 0, maxBytes > 0, !range.isEmpty else { return [] }
        return reverse
            ? descending(range, limit: limit, maxBytes: maxBytes)
            : ascending(range, limit: limit, maxBytes: maxBytes)
    }

    private func ascending(_ range: KeyRange, limit: Int, maxBytes: Int) -> [KeyValuePair] {
        // Stack of nodes still to visit; it holds at most one tree height.
        var pending: [Node] = []
        var node = root
        while let current = node {
            if compareBytes(current.key, range.lowerBound) >= 0 {
                pending.append(current)
                node = current.left
            } else {
                node = current.right
            }
        }
        var result: [KeyValuePair] = []
        var bytes = 0
        while result.count < limit, bytes < maxBytes, let current = pending.popLast() {
            if let upper = range.upperBound, compareBytes(current.key, upper) >= 0 { break }
            result.append(KeyValuePair(key: current.key, value: current.value))
            bytes += current.key.count + current.value.count
            node = current.right
            while let next = node {
                pending.append(next)
                node = next.left
            }
        }
        return result
    }

    private func descending(_ range: KeyRange, limit: Int, maxBytes: Int) -> [KeyValuePair] {
        var pending: [Node] = []
        var node = root
        while let current = node {
            if range.upperBound.map({ compareBytes(current.key, $0) < 0 }) ?? true {
                pending.append(current)
                node = current.right
            } else {
                node = current.left
            }
        }
        var result: [KeyValuePair] = []
        var bytes = 0
        while result.count < limit, bytes < maxBytes, let current = pending.popLast() {
            if compareBytes(current.key, range.lowerBound) < 0 { break }
            result.append(KeyValuePair(key: current.key, value: current.value))
            bytes += current.key.count + current.value.count
            node = current.left
            while let next = node {
                pending.append(next)
                node = next.right
            }
        }
        return result
    }
}

extension PersistentSortedMap {
    /// Mutated only while referenced from one place alone (see `makeUnique`):
    /// a node that a snapshot, or any other version, can reach is never
    /// changed, which is what makes sharing safe.
    ///
    /// `@unchecked Sendable`: every mutation happens on a node whose only
    /// reference is the tree being written, and the writer holds the store's
    /// lock; readers only ever reach nodes through roots they retained under
    /// that lock, which makes those nodes shared, so copied before a change.
    final class Node: @unchecked Sendable {
        var key: [UInt8] {
            didSet { keyPrefix = LedgerStore.keyPrefix(key) }
        }
        /// `keyPrefix(key)`, kept beside the node's links: most comparisons on
        /// a walk are settled by it without reaching the key's own buffer,
        /// a second cache miss per level.
        private(set) var keyPrefix: UInt64
        var value: [UInt8]
        var left: Node?
        var right: Node?
        var height: Int

        init(_ key: [UInt8], _ value: [UInt8], _ left: Node?, _ right: Node?) {
            self.key = key
            self.keyPrefix = LedgerStore.keyPrefix(key)
            self.value = value
            self.left = left
            self.right = right
            self.height = 1 + max(left?.height ?? 0, right?.height ?? 0)
        }

        /// Copies the path from the root only where another version shares
        /// it; nodes this version alone holds are changed in place, so a batch
        /// of many writes copies each shared node at most once.
        ///
        /// Returns whether the subtree grew. Only then can a node above be
        /// out of balance or change height, so the walk back up stops
        /// rebalancing at the first level that did not grow: replacing a
        /// value, most of a state-tree batch, rebalances nothing.
        @discardableResult
        static func insert(_ key: [UInt8], _ prefix: UInt64, _ value: [UInt8], into slot: inout Node?) -> Bool {
            guard slot != nil else {
                slot = Node(key, value, nil, nil)
                return true
            }
            makeUnique(&slot)
            let node = slot!
            let order = compareBytes(key, prefix, node.key, node.keyPrefix)
            if order == 0 {
                node.value = value
                return false
            }
            let grew: Bool
            // A child is taken out into a local while the walk is below it:
            // that keeps it uniquely referenced, and avoids the dynamic
            // exclusivity checks of an inout access to a class property,
            // which nest (and slow down) with the depth of the recursion.
            if order < 0 {
                var child = node.left.take()
                grew = insert(key, prefix, value, into: &child)
                node.left = child
            } else {
                var child = node.right.take()
                grew = insert(key, prefix, value, into: &child)
                node.right = child
            }
            guard grew else { return false }
            let height = node.height
            rebalance(&slot)
            return slot!.height > height
        }

        /// Callers have checked that `key` is present, so that a miss copies nothing.
        static func remove(_ key: [UInt8], _ prefix: UInt64, from slot: inout Node?) {
            guard slot != nil else { return }
            makeUnique(&slot)
            let node = slot!
            let order = compareBytes(key, prefix, node.key, node.keyPrefix)
            if order < 0 {
                var child = node.left.take()
                remove(key, prefix, from: &child)
                node.left = child
            } else if order > 0 {
                var child = node.right.take()
                remove(key, prefix, from: &child)
                node.right = child
            } else {
                guard node.right != nil else {
                    slot = node.left
                    return
                }
                guard node.left != nil else {
                    slot = node.right
                    return
                }
                var right = node.right.take()
                let (successorKey, successorValue) = removeMinimum(from: &right)
                node.right = right
                node.key = successorKey
                node.value = successorValue
            }
            rebalance(&slot)
        }

        private static func removeMinimum(from slot: inout Node?) -> (key: [UInt8], value: [UInt8]) {
            makeUnique(&slot)
            let node = slot!
            guard node.left != nil else {
                slot = node.right
                return (node.key, node.value)
            }
            var left = node.left.take()
            let minimum = removeMinimum(from: &left)
            node.left = left
            rebalance(&slot)
            return minimum
        }

        /// Replaces the node in `slot` (not nil) by a copy unless `slot` holds
        /// the only reference to it.
        static func makeUnique(_ slot: inout Node?) {
            if !isKnownUniquelyReferenced(&slot) {
                let node = slot!
                slot = Node(node.key, node.value, node.left, node.right)
            }
        }

        static func height(_ node: Node?) -> Int { node?.height ?? 0 }

        /// Restores the AVL invariant (subtree heights differ by at most one)
        /// after one insertion or removal below, and the height. The node in
        /// `slot` is referenced from there alone.
        static func rebalance(_ slot: inout Node?) {
            let node = slot!
            let leftHeight = height(node.left)
            let rightHeight = height(node.right)
            if leftHeight > rightHeight + 1 {
                if height(node.left!.left) < height(node.left!.right) {
                    var left = node.left.take()
                    makeUnique(&left)
                    rotateLeft(&left)
                    node.left = left
                }
                rotateRight(&slot)
            } else if rightHeight > leftHeight + 1 {
                if height(node.right!.right) < height(node.right!.left) {
                    var right = node.right.take()
                    makeUnique(&right)
                    rotateRight(&right)
                    node.right = right
                }
                rotateLeft(&slot)
            } else {
                node.height = 1 + max(leftHeight, rightHeight)
            }
        }

        /// The node in `slot` is referenced from there alone; its left child moves up.
        private static func rotateRight(_ slot: inout Node?) {
            let node = slot!
            var taken = node.left.take()
            makeUnique(&taken)
            let pivot = taken!
            node.left = pivot.right
            node.height = 1 + max(height(node.left), height(node.right))
            pivot.right = node
            pivot.height = 1 + max(height(pivot.left), node.height)
            slot = pivot
        }

        /// The node in `slot` is referenced from there alone; its right child moves up.
        private static func rotateLeft(_ slot: inout Node?) {
            let node = slot!
            var taken = node.right.take()
            makeUnique(&taken)
            let pivot = taken!
            node.right = pivot.left
            node.height = 1 + max(height(node.left), height(node.right))
            pivot.left = node
            pivot.height = 1 + max(node.height, height(pivot.right))
            slot = pivot
        }
    }
}

extension PersistentSortedMap {
    /// For tests: checks ordering and balance of the whole tree.
    func checkInvariants() -> Bool {
        func check(_ node: Node?, above: [UInt8]?, below: [UInt8]?) -> Int? {
            guard let node else { return 0 }
            if let above, compareBytes(node.key, above) <= 0 { return nil }
            if let below, compareBytes(node.key, below) >= 0 { return nil }
            guard let left = check(node.left, above: above, below: node.key),
                  let right = check(node.right, above: node.key, below: below),
                  abs(left - right) <= 1, node.height == 1 + max(left, right)
            else { return nil }
            return node.height
        }
        return check(root, above: nil, below: nil) != nil
    }
}
