#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unsigned bytewise comparison, the order of RocksDB's default comparator:
/// a proper prefix sorts before any longer key that starts with it.
///
/// `memcmp` compares unsigned bytes, and word at a time: state-tree keys share
/// long prefixes, where a byte loop was most of the in-memory store's write.
/// Public so that a writer sorting a batch into the store's order uses the
/// store's own comparison; inlinable, since sorting calls it per pair.
@inlinable
public func compareBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
    lhs.withUnsafeBufferPointer { left in
        rhs.withUnsafeBufferPointer { right in
            let common = min(left.count, right.count)
            if common > 0, let a = left.baseAddress, let b = right.baseAddress {
                let order = memcmp(a, b, common)
                if order != 0 { return order < 0 ? -1 : 1 }
            }
            if left.count == right.count { return 0 }
            return left.count < right.count ? -1 : 1
        }
    }
}

/// The first eight bytes of `key` as a big-endian integer, zero-padded.
/// Keys whose prefixes differ order as their prefixes do (a shorter key's
/// padding can only tie with a zero byte, never pass a greater one), so only
/// equal prefixes need the keys themselves. Public, with the comparison
/// below, for writers that sort a batch into the store's order.
@inlinable
public func keyPrefix(_ key: [UInt8]) -> UInt64 {
    var prefix: UInt64 = 0
    for index in 0..<8 {
        prefix = prefix << 8 | UInt64(index < key.count ? key[index] : 0)
    }
    return prefix
}

/// `compareBytes(lhs, rhs)`, settled by the keys' `keyPrefix` when they differ.
@inlinable @inline(__always)
public func compareBytes(_ lhs: [UInt8], _ lhsPrefix: UInt64, _ rhs: [UInt8], _ rhsPrefix: UInt64) -> Int {
    if lhsPrefix != rhsPrefix { return lhsPrefix < rhsPrefix ? -1 : 1 }
    return compareBytes(lhs, rhs)
}
