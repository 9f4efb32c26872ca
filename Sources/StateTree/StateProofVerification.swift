import LedgerCore

extension StateProof {
    /// Total: true only if the proof shows `key` maps to `value` (or, for
    /// value == nil, that key is absent) under `root`. Needs nothing but the
    /// root and the chain's hash; never traps, whatever the proof holds.
    public func verify(key: [UInt8], value: [UInt8]?, root: Digest, hash: some DigestFunction) -> Bool {
        guard siblings.count <= Self.maxSiblings else { return false }
        let path = hash.digest(key)
        var current: Digest
        if let leaf {
            // The leaf must sit on the key's path, or it proves nothing about
            // the key; the hash chain below then pins it to that position.
            guard NodePosition(depth: siblings.count, path: path).isOnPath(leaf.keyHash) else { return false }
            if let value {
                guard leaf.keyHash == path, leaf.valueHash == hash.digest(value) else { return false }
            } else {
                guard leaf.keyHash != path else { return false }
            }
            current = leaf.hash(using: hash)
        } else {
            guard value == nil else { return false }
            current = TreeHashing.placeholder
        }
        for depth in stride(from: siblings.count - 1, through: 0, by: -1) {
            current = path.bit(depth) == 0
                ? TreeHashing.node(left: current, right: siblings[depth], hash: hash)
                : TreeHashing.node(left: siblings[depth], right: current, hash: hash)
        }
        return current == root
    }
}
