import LedgerCore

/// Where a node sits: its depth and the first `depth` bits of every path below it.
///
/// The store key is the depth as two big-endian bytes (depth 256, a leaf
/// whose path shares 255 bits with another, does not fit in one) followed by
/// the `ceil(depth / 8)` bytes holding the prefix, unused low bits zero. A
/// lookup along a path is one `get` per level with a key computed from the
/// path alone, and no key is a prefix of a key at another depth.
///
/// The prefix is kept inline and the key built only when a node is read or
/// written: an update steps through many more positions than it touches in
/// the store, and an array per step cost more than the step.
struct NodePosition: Hashable, Sendable {
    static let maxDepth = 256
    static let root = NodePosition(depth: 0, prefix: .zero)

    let depth: Int
    /// The first `depth` bits of the paths below; the other bits zero.
    let prefix: TreeHash

    private init(depth: Int, prefix: TreeHash) {
        self.depth = depth
        self.prefix = prefix
    }

    /// The position at `depth` on `path`.
    init(depth: Int, path: TreeHash) {
        self.init(depth: depth, prefix: path.prefix(depth))
    }

    init(depth: Int, path: Digest) {
        self.init(depth: depth, path: TreeHash(path))
    }

    var key: [UInt8] {
        let pathBytes = (depth + 7) / 8
        return [UInt8](unsafeUninitializedCapacity: 2 + Digest.byteCount) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            raw.storeBytes(of: UInt8(truncatingIfNeeded: depth >> 8), toByteOffset: 0, as: UInt8.self)
            raw.storeBytes(of: UInt8(truncatingIfNeeded: depth), toByteOffset: 1, as: UInt8.self)
            prefix.store(into: raw, at: 2)
            count = 2 + pathBytes
        }
    }

    /// The child on side `bit`. Callers have checked `depth < maxDepth`.
    func child(_ bit: Int) -> NodePosition {
        NodePosition(depth: depth + 1, prefix: bit == 1 ? prefix.settingBit(depth) : prefix)
    }

    /// True when `path` passes through this position.
    func isOnPath(_ path: TreeHash) -> Bool {
        path.prefix(depth) == prefix
    }

    func isOnPath(_ path: Digest) -> Bool {
        isOnPath(TreeHash(path))
    }
}
