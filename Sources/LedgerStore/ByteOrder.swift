/// Unsigned bytewise comparison, the order of RocksDB's default comparator:
/// a proper prefix sorts before any longer key that starts with it.
func compareBytes(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
    lhs.withUnsafeBufferPointer { left in
        rhs.withUnsafeBufferPointer { right in
            let common = min(left.count, right.count)
            var index = 0
            while index < common {
                let a = left[index]
                let b = right[index]
                if a != b { return a < b ? -1 : 1 }
                index += 1
            }
            if left.count == right.count { return 0 }
            return left.count < right.count ? -1 : 1
        }
    }
}
