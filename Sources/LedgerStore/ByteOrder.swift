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
func compareBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
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
