import LedgerCore

/// A 32-byte digest held inline, as the tree works with it internally.
///
/// `Digest` keeps its bytes in a heap array: an update that hashes, compares,
/// caches and decodes tens of thousands of node hashes per block spent more on
/// allocating and reference counting those arrays than on the hashing. This is
/// the same 32 bytes in four words; it becomes a `Digest` only at the public
/// surface (roots and proofs), so nothing it changes is visible outside.
///
/// The words are big-endian (word 0 holds bytes 0–7, most significant first),
/// so comparing words in order is comparing the bytes, and bit `i` of a path
/// is bit `63 - i mod 64` of word `i div 64`, as `Digest.bit` counts them.
struct TreeHash: Hashable, Comparable, Sendable, CustomStringConvertible {
    var w0: UInt64
    var w1: UInt64
    var w2: UInt64
    var w3: UInt64

    /// The placeholder: all zero.
    static let zero = TreeHash(w0: 0, w1: 0, w2: 0, w3: 0)

    init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        (self.w0, self.w1, self.w2, self.w3) = (w0, w1, w2, w3)
    }

    init(_ digest: Digest) {
        self = digest.bytes.withUnsafeBytes { TreeHash(bytes: $0, at: 0) }
    }

    /// The 32 bytes at `offset` of `raw`; callers have checked they are there.
    init(bytes raw: UnsafeRawBufferPointer, at offset: Int) {
        func word(_ index: Int) -> UInt64 {
            UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: offset + 8 * index, as: UInt64.self))
        }
        self.init(w0: word(0), w1: word(1), w2: word(2), w3: word(3))
    }

    /// Writes the 32 bytes at `offset` of `raw`, which has room for them.
    func store(into raw: UnsafeMutableRawBufferPointer, at offset: Int) {
        raw.storeBytes(of: w0.bigEndian, toByteOffset: offset, as: UInt64.self)
        raw.storeBytes(of: w1.bigEndian, toByteOffset: offset + 8, as: UInt64.self)
        raw.storeBytes(of: w2.bigEndian, toByteOffset: offset + 16, as: UInt64.self)
        raw.storeBytes(of: w3.bigEndian, toByteOffset: offset + 24, as: UInt64.self)
    }

    var digest: Digest {
        Digest(unchecked: [UInt8](unsafeUninitializedCapacity: Digest.byteCount) { buffer, count in
            store(into: UnsafeMutableRawBufferPointer(buffer), at: 0)
            count = Digest.byteCount
        })
    }

    var description: String { digest.hex }

    @inline(__always)
    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: return w0
        case 1: return w1
        case 2: return w2
        default: return w3
        }
    }

    /// Bit `index` (0..<256) of the path, most significant bit of byte 0 first.
    @inline(__always)
    func bit(_ index: Int) -> Int {
        Int(truncatingIfNeeded: (word(index &>> 6) &>> UInt64(63 &- (index & 63))) & 1)
    }

    /// The first `depth` bits (0...256), the others zero.
    func prefix(_ depth: Int) -> TreeHash {
        func keep(_ word: UInt64, bitsBefore: Int) -> UInt64 {
            let kept = depth - bitsBefore
            if kept <= 0 { return 0 }
            if kept >= 64 { return word }
            return word & ~(UInt64.max &>> UInt64(kept))
        }
        return TreeHash(
            w0: keep(w0, bitsBefore: 0), w1: keep(w1, bitsBefore: 64), w2: keep(w2, bitsBefore: 128),
            w3: keep(w3, bitsBefore: 192))
    }

    /// With bit `index` (0..<256) set.
    func settingBit(_ index: Int) -> TreeHash {
        let mask = UInt64(1) &<< UInt64(63 - (index & 63))
        var out = self
        switch index >> 6 {
        case 0: out.w0 |= mask
        case 1: out.w1 |= mask
        case 2: out.w2 |= mask
        default: out.w3 |= mask
        }
        return out
    }

    static func < (lhs: TreeHash, rhs: TreeHash) -> Bool {
        if lhs.w0 != rhs.w0 { return lhs.w0 < rhs.w0 }
        if lhs.w1 != rhs.w1 { return lhs.w1 < rhs.w1 }
        if lhs.w2 != rhs.w2 { return lhs.w2 < rhs.w2 }
        return lhs.w3 < rhs.w3
    }

    /// `H(bytes)`: a key's path or a value's commitment.
    static func of(_ bytes: [UInt8], using hash: some DigestFunction) -> TreeHash {
        bytes.withUnsafeBytes { input in
            withUnsafeTemporaryAllocation(byteCount: Digest.byteCount, alignment: 8) { output in
                hash.digest(input, into: output)
                return TreeHash(bytes: UnsafeRawBufferPointer(output), at: 0)
            }
        }
    }

    /// `H(prefix ‖ first ‖ second)`, the leaf and internal-node rule of
    /// `TreeHashing`, with the input and the result on the stack.
    static func combining(
        _ prefix: UInt8, _ first: TreeHash, _ second: TreeHash, using hash: some DigestFunction
    ) -> TreeHash {
        withUnsafeTemporaryAllocation(byteCount: 1 + 2 * Digest.byteCount, alignment: 8) { input in
            input.storeBytes(of: prefix, toByteOffset: 0, as: UInt8.self)
            first.store(into: input, at: 1)
            second.store(into: input, at: 1 + Digest.byteCount)
            return withUnsafeTemporaryAllocation(byteCount: Digest.byteCount, alignment: 8) { output in
                hash.digest(UnsafeRawBufferPointer(input), into: output)
                return TreeHash(bytes: UnsafeRawBufferPointer(output), at: 0)
            }
        }
    }
}
