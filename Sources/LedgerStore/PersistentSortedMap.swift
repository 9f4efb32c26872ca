/// An immutable AVL tree keyed by bytes in bytewise order.
///
/// Updates copy only the path from the root (O(log n) new nodes) and share the
/// rest, so keeping an old version — a snapshot — costs nothing until the live
/// version changes, and never more than the nodes that actually changed.
struct PersistentSortedMap: Sendable {
    private var root: Node?

    init() {}

    func value(for key: [UInt8]) -> [UInt8]? {
        var node = root
        while let current = node {
            let order = compareBytes(key, current.key)
            if order == 0 { return current.value }
            node = order < 0 ? current.left : current.right
        }
        return nil
    }

    mutating func set(_ value: [UInt8], for key: [UInt8]) {
        root = Node.inserting(key, value, into: root)
    }

    mutating func remove(_ key: [UInt8]) {
        root = Node.removing(key, from: root)
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
    /// Never mutated after construction, which is what makes sharing safe.
    final class Node: Sendable {
        let key: [UInt8]
        let value: [UInt8]
        let left: Node?
        let right: Node?
        let height: Int

        init(_ key: [UInt8], _ value: [UInt8], _ left: Node?, _ right: Node?) {
            self.key = key
            self.value = value
            self.left = left
            self.right = right
            self.height = 1 + max(left?.height ?? 0, right?.height ?? 0)
        }

        static func inserting(_ key: [UInt8], _ value: [UInt8], into node: Node?) -> Node {
            guard let node else { return Node(key, value, nil, nil) }
            let order = compareBytes(key, node.key)
            if order < 0 {
                return balanced(node.key, node.value, inserting(key, value, into: node.left), node.right)
            }
            if order > 0 {
                return balanced(node.key, node.value, node.left, inserting(key, value, into: node.right))
            }
            return Node(key, value, node.left, node.right)
        }

        static func removing(_ key: [UInt8], from node: Node?) -> Node? {
            guard let node else { return nil }
            let order = compareBytes(key, node.key)
            if order < 0 {
                let left = removing(key, from: node.left)
                return left === node.left ? node : balanced(node.key, node.value, left, node.right)
            }
            if order > 0 {
                let right = removing(key, from: node.right)
                return right === node.right ? node : balanced(node.key, node.value, node.left, right)
            }
            guard let right = node.right else { return node.left }
            guard node.left != nil else { return right }
            let (successor, rest) = removingMinimum(from: right)
            return balanced(successor.key, successor.value, node.left, rest)
        }

        private static func removingMinimum(from node: Node) -> (minimum: Node, rest: Node?) {
            guard let left = node.left else { return (node, node.right) }
            let (minimum, rest) = removingMinimum(from: left)
            return (minimum, balanced(node.key, node.value, rest, node.right))
        }

        private static func height(_ node: Node?) -> Int { node?.height ?? 0 }

        /// Restores the AVL invariant (subtree heights differ by at most one)
        /// after one insertion or removal below.
        private static func balanced(_ key: [UInt8], _ value: [UInt8], _ left: Node?, _ right: Node?) -> Node {
            let leftHeight = height(left)
            let rightHeight = height(right)
            if leftHeight > rightHeight + 1, let left {
                if height(left.left) >= height(left.right) {
                    return Node(left.key, left.value, left.left, Node(key, value, left.right, right))
                }
                if let pivot = left.right {
                    return Node(
                        pivot.key, pivot.value,
                        Node(left.key, left.value, left.left, pivot.left),
                        Node(key, value, pivot.right, right))
                }
            }
            if rightHeight > leftHeight + 1, let right {
                if height(right.right) >= height(right.left) {
                    return Node(right.key, right.value, Node(key, value, left, right.left), right.right)
                }
                if let pivot = right.left {
                    return Node(
                        pivot.key, pivot.value,
                        Node(key, value, left, pivot.left),
                        Node(right.key, right.value, pivot.right, right.right))
                }
            }
            return Node(key, value, left, right)
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
