import LedgerCore

/// What a parent knows about one child: enough to hash itself and to know
/// what it will find one level down, without reading the child.
struct ChildRef: Equatable, Sendable {
    enum Kind: UInt8, Sendable {
        case empty = 0
        case leaf = 1
        case `internal` = 2
    }

    var kind: Kind
    var hash: TreeHash

    static let empty = ChildRef(kind: .empty, hash: .zero)
}

/// A leaf as the tree keeps it, with its hashes inline (`StateLeaf` is the
/// public form, in proofs).
struct TreeLeaf: Equatable, Sendable {
    var keyHash: TreeHash
    var valueHash: TreeHash

    init(keyHash: TreeHash, valueHash: TreeHash) {
        self.keyHash = keyHash
        self.valueHash = valueHash
    }

    var stateLeaf: StateLeaf { StateLeaf(keyHash: keyHash.digest, valueHash: valueHash.digest) }

    /// `H(0x00 ‖ keyHash ‖ valueHash)`.
    func hash(using hash: some DigestFunction) -> TreeHash {
        TreeHash.combining(TreeHashing.leafPrefix, keyHash, valueHash, using: hash)
    }
}

/// A node as kept in the tree's column family. Only populated positions are
/// stored: a leaf where its key is alone in the subtree, and an internal node
/// where two or more leaves lie below.
///
/// Records (the store's own format, not part of consensus; docs/state-tree.md):
/// - leaf: `0x00 ‖ keyHash ‖ valueHash` (65 bytes)
/// - internal: `0x01 ‖ kinds ‖ leftHash ‖ rightHash` (66 bytes), where
///   `kinds = leftKind << 4 | rightKind` and a kind is 0 empty, 1 leaf,
///   2 internal. Parents carry their children's hashes and kinds so that an
///   update reads each node on its paths once and never reads a sibling.
enum StoredNode: Equatable, Sendable {
    case leaf(TreeLeaf)
    case `internal`(left: ChildRef, right: ChildRef)

    static let leafRecordSize = 1 + 2 * Digest.byteCount
    static let internalRecordSize = 2 + 2 * Digest.byteCount

    var record: [UInt8] {
        switch self {
        case let .leaf(leaf):
            return [UInt8](unsafeUninitializedCapacity: Self.leafRecordSize) { buffer, count in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                raw.storeBytes(of: TreeHashing.leafPrefix, toByteOffset: 0, as: UInt8.self)
                leaf.keyHash.store(into: raw, at: 1)
                leaf.valueHash.store(into: raw, at: 1 + Digest.byteCount)
                count = Self.leafRecordSize
            }
        case let .internal(left, right):
            return [UInt8](unsafeUninitializedCapacity: Self.internalRecordSize) { buffer, count in
                let raw = UnsafeMutableRawBufferPointer(buffer)
                raw.storeBytes(of: TreeHashing.internalPrefix, toByteOffset: 0, as: UInt8.self)
                raw.storeBytes(of: left.kind.rawValue << 4 | right.kind.rawValue, toByteOffset: 1, as: UInt8.self)
                left.hash.store(into: raw, at: 2)
                right.hash.store(into: raw, at: 2 + Digest.byteCount)
                count = Self.internalRecordSize
            }
        }
    }

    func hash(using hash: some DigestFunction) -> TreeHash {
        switch self {
        case let .leaf(leaf):
            return leaf.hash(using: hash)
        case let .internal(left, right):
            return TreeHash.combining(TreeHashing.internalPrefix, left.hash, right.hash, using: hash)
        }
    }

    /// Total over any bytes: a record this tree could not have written at
    /// `position` is `.corrupt`, never a trap.
    static func decode(_ record: [UInt8], at position: NodePosition) throws(StateTreeError) -> StoredNode {
        func corrupt(_ reason: String) -> StateTreeError { .corrupt(nodeKey: position.key, reason: reason) }
        guard let tag = record.first else { throw corrupt("empty record") }
        switch tag {
        case TreeHashing.leafPrefix:
            guard record.count == leafRecordSize else {
                throw corrupt("leaf record of \(record.count) bytes, expected \(leafRecordSize)")
            }
            let leaf = record.withUnsafeBytes { raw in
                TreeLeaf(keyHash: TreeHash(bytes: raw, at: 1), valueHash: TreeHash(bytes: raw, at: 1 + Digest.byteCount))
            }
            let keyHash = leaf.keyHash
            guard position.isOnPath(keyHash) else { throw corrupt("leaf key hash \(keyHash) is not on this node's path") }
            return .leaf(leaf)
        case TreeHashing.internalPrefix:
            guard record.count == internalRecordSize else {
                throw corrupt("internal record of \(record.count) bytes, expected \(internalRecordSize)")
            }
            guard position.depth < NodePosition.maxDepth else { throw corrupt("internal node at depth \(position.depth)") }
            guard let leftKind = ChildRef.Kind(rawValue: record[1] >> 4),
                  let rightKind = ChildRef.Kind(rawValue: record[1] & 0x0F)
            else { throw corrupt("unknown child kinds \(record[1])") }
            let (left, right) = record.withUnsafeBytes { raw in
                (ChildRef(kind: leftKind, hash: TreeHash(bytes: raw, at: 2)),
                 ChildRef(kind: rightKind, hash: TreeHash(bytes: raw, at: 2 + Digest.byteCount)))
            }
            guard (left.kind == .empty) == (left.hash == .zero), (right.kind == .empty) == (right.hash == .zero) else {
                throw corrupt("a child's kind and hash disagree about it being empty")
            }
            // One leaf below would have been lifted into this position, none
            // would have removed it: either way the record cannot exist.
            switch (leftKind, rightKind) {
            case (.empty, .empty), (.empty, .leaf), (.leaf, .empty):
                throw corrupt("internal node with fewer than two leaves below it")
            default:
                return .internal(left: left, right: right)
            }
        default:
            throw corrupt("unknown record tag \(tag)")
        }
    }
}
