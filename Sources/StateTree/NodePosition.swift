import LedgerCore

/// Where a node sits: its depth and the first `depth` bits of every path below it.
///
/// The store key is the depth as two big-endian bytes (depth 256, a leaf
/// whose path shares 255 bits with another, does not fit in one) followed by
/// the `ceil(depth / 8)` bytes holding the prefix, unused low bits zero. A
/// lookup along a path is one `get` per level with a key computed from the
/// path alone, and no key is a prefix of a key at another depth.
struct NodePosition: Hashable, Sendable {
    static let maxDepth = 256
    static let root = NodePosition(depth: 0, key: [0, 0])

    let depth: Int
    let key: [UInt8]

    private init(depth: Int, key: [UInt8]) {
        self.depth = depth
        self.key = key
    }

    /// The position at `depth` on `path`.
    init(depth: Int, path: Digest) {
        var key = [UInt8(truncatingIfNeeded: depth >> 8), UInt8(truncatingIfNeeded: depth)]
        let fullBytes = depth / 8
        key.append(contentsOf: path.bytes[0..<fullBytes])
        if depth % 8 != 0 {
            key.append(path.bytes[fullBytes] & ~(0xFF >> UInt8(depth % 8)))
        }
        self.init(depth: depth, key: key)
    }

    /// The child on side `bit`. Callers have checked `depth < maxDepth`.
    func child(_ bit: Int) -> NodePosition {
        let childDepth = depth + 1
        var key = self.key
        key[0] = UInt8(truncatingIfNeeded: childDepth >> 8)
        key[1] = UInt8(truncatingIfNeeded: childDepth)
        if depth % 8 == 0 { key.append(0) }
        if bit == 1 { key[2 + depth / 8] |= 0x80 >> UInt8(depth % 8) }
        return NodePosition(depth: childDepth, key: key)
    }

    /// True when `path` passes through this position.
    func isOnPath(_ path: Digest) -> Bool {
        let fullBytes = depth / 8
        for index in 0..<fullBytes where key[2 + index] != path.bytes[index] {
            return false
        }
        guard depth % 8 != 0 else { return true }
        let mask: UInt8 = ~(0xFF >> UInt8(depth % 8))
        return key[2 + fullBytes] == path.bytes[fullBytes] & mask
    }
}
