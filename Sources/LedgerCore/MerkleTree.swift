/// A binary Merkle tree over byte-string leaves, as RFC 6962 §2.1 (RFC 9162 §2.1):
/// leaf hash `H(0x00 ‖ leaf)`, interior `H(0x01 ‖ left ‖ right)`, the empty tree
/// hashes to `H("")`. The prefixes keep a leaf from passing as an interior node.
///
/// Levels are kept so that root and proofs cost O(log n) after an O(n) build. An
/// unpaired last node is carried up unchanged, which yields the same tree as the
/// RFC's "largest power of two smaller than n" split.
public struct MerkleTree: Sendable {
    public let root: Digest
    public var count: Int { levels[0].count }
    private let levels: [[Digest]]

    public init(leaves: [[UInt8]], hash: some DigestFunction) {
        self.init(leafHashes: leaves.map { Self.leafHash($0, hash: hash) }, hash: hash, emptyRoot: hash.digest([]))
    }

    private init(leafHashes: [Digest], hash: some DigestFunction, emptyRoot: Digest) {
        var levels = [leafHashes]
        // Each pass halves the level, so this runs ceil(log2 n) times.
        while let current = levels.last, current.count > 1 {
            var next: [Digest] = []
            next.reserveCapacity((current.count + 1) / 2)
            var index = 0
            while index + 1 < current.count {
                next.append(Self.nodeHash(current[index], current[index + 1], hash: hash))
                index += 2
            }
            if index < current.count {
                next.append(current[index])
            }
            levels.append(next)
        }
        self.levels = levels
        self.root = leafHashes.isEmpty ? emptyRoot : levels.last![0]
    }

    public static func leafHash(_ leaf: [UInt8], hash: some DigestFunction) -> Digest {
        hash.digest([0x00] + leaf)
    }

    static func nodeHash(_ left: Digest, _ right: Digest, hash: some DigestFunction) -> Digest {
        hash.digest([0x01] + left.bytes + right.bytes)
    }

    /// The audit path for leaf `index`, bottom-up; nil when out of range.
    public func proof(forLeafAt index: Int) -> InclusionProof? {
        guard index >= 0, index < count else { return nil }
        var path: [Digest] = []
        var position = index
        for level in levels.dropLast() {
            let sibling = position ^ 1
            if sibling < level.count {
                path.append(level[sibling])
            }
            position /= 2
        }
        return InclusionProof(leafIndex: UInt64(index), treeSize: UInt64(count), path: path)
    }
}

/// Proof that a leaf is at `leafIndex` in a tree of `treeSize` leaves.
public struct InclusionProof: Hashable, Sendable {
    /// No tree this ledger builds is deeper than this; longer paths are refused unread.
    public static let maxPathLength = 64

    public let leafIndex: UInt64
    public let treeSize: UInt64
    public let path: [Digest]

    public init(leafIndex: UInt64, treeSize: UInt64, path: [Digest]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.path = path
    }

    /// RFC 9162 §2.1.3.2 verification. Total: any inconsistent proof gives false.
    public func verify(leaf: [UInt8], root: Digest, hash: some DigestFunction) -> Bool {
        verify(leafHash: MerkleTree.leafHash(leaf, hash: hash), root: root, hash: hash)
    }

    public func verify(leafHash: Digest, root: Digest, hash: some DigestFunction) -> Bool {
        guard leafIndex < treeSize, path.count <= Self.maxPathLength else { return false }
        var fn = leafIndex
        var sn = treeSize - 1
        var r = leafHash
        for p in path {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = MerkleTree.nodeHash(p, r, hash: hash)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = MerkleTree.nodeHash(r, p, hash: hash)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }
}
