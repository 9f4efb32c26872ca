/// Counts the TLV headers in a DER byte string without allocating, so that a
/// decoder can refuse input with more nodes than its type can hold *before*
/// swift-asn1 materialises one node object per header. Without it, 16 MiB of
/// `05 00` pairs costs ~700 MiB of memory and seconds of CPU before refusal.
///
/// The walk is linear: a constructed node's content is itself a run of TLVs, so
/// visiting headers in order visits every node. Each step consumes at least two
/// bytes, so the loop ends within `bytes.count / 2` steps. Malformed headers stop
/// the count early; reporting them is left to the real parser.
enum DERNodeCount {
    static func exceeds(_ limit: Int, in bytes: [UInt8]) -> Bool {
        var position = 0
        var count = 0
        while position < bytes.count {
            count += 1
            if count > limit { return true }
            let identifier = bytes[position]
            position += 1
            if identifier & 0x1f == 0x1f {
                // High tag number: continuation bytes have the top bit set.
                while position < bytes.count, bytes[position] & 0x80 != 0 { position += 1 }
                position += 1
            }
            guard position < bytes.count else { return false }
            let first = bytes[position]
            position += 1
            var length = Int(first)
            if first & 0x80 != 0 {
                let lengthBytes = Int(first & 0x7f)
                guard lengthBytes <= 4, position + lengthBytes <= bytes.count else { return false }
                length = bytes[position..<position + lengthBytes].reduce(0) { $0 << 8 | Int($1) }
                position += lengthBytes
            }
            if identifier & 0x20 == 0 {
                // Primitive: skip its content. Constructed: step inside.
                guard length <= bytes.count - position else { return false }
                position += length
            }
        }
        return false
    }
}
