import LedgerCore

/// The hashing rules of the state tree, in one place so that the tree, the
/// verifier and light clients in other languages agree byte for byte
/// (docs/state-tree.md restates them).
///
/// The one-byte prefixes keep a leaf from passing as an internal node and back;
/// the placeholder is not the output of any hash, so an empty subtree cannot be
/// confused with a populated one.
public enum TreeHashing {
    /// The digest of an empty subtree, and so the root of an empty tree.
    public static let placeholder = Digest.zero

    static let leafPrefix: UInt8 = 0x00
    static let internalPrefix: UInt8 = 0x01

    /// `H(0x00 ‖ keyHash ‖ valueHash)`.
    public static func leaf(keyHash: Digest, valueHash: Digest, hash: some DigestFunction) -> Digest {
        hash.digest(concatenate(leafPrefix, keyHash, valueHash))
    }

    /// `H(0x01 ‖ left ‖ right)`.
    public static func node(left: Digest, right: Digest, hash: some DigestFunction) -> Digest {
        hash.digest(concatenate(internalPrefix, left, right))
    }

    /// One allocation of the exact size, rather than the intermediate arrays of `+`.
    private static func concatenate(_ prefix: UInt8, _ first: Digest, _ second: Digest) -> [UInt8] {
        var input = [UInt8]()
        input.reserveCapacity(1 + 2 * Digest.byteCount)
        input.append(prefix)
        input.append(contentsOf: first.bytes)
        input.append(contentsOf: second.bytes)
        return input
    }
}

extension StateLeaf {
    func hash(using hash: some DigestFunction) -> Digest {
        TreeHashing.leaf(keyHash: keyHash, valueHash: valueHash, hash: hash)
    }
}

extension Digest {
    /// Bit `index` of the path, most significant bit of byte 0 first, so that
    /// the order of paths is the bytewise order of their digests.
    @inline(__always)
    func bit(_ index: Int) -> Int {
        Int(bytes[index &>> 3] &>> (7 &- UInt8(truncatingIfNeeded: index & 7))) & 1
    }
}
