import LedgerCore

extension PeerFrame {
    /// The bytes of `Canonical.encode(PeerFrame.consensus(message))`, framed by
    /// hand: SEQUENCE { INTEGER 1 (version), INTEGER 0 (kind), OCTET STRING message }.
    ///
    /// Why: swift-asn1's serializer writes a one-byte length, and when the
    /// content turns out longer than 127 bytes it moves that content one byte
    /// at a time (`Array._moveRange`), at each of the frame's two levels
    /// (see `DERHeaderFirst.swift`).
    /// Consensus messages carry whole batches (up to 256 KB, megabytes for a
    /// VIEW-CHANGE), and under load this wrapping alone was 22–25 % of a node's
    /// driver time (perf, docs/performance.md). The lengths are known here, so
    /// the header is written first and the message copied once. PeerFrameTests
    /// checks the bytes against the canonical encoder for every length form.
    public static func encodeConsensus(_ message: [UInt8]) -> [UInt8] {
        let octetHeader = [0x04] + DERHeader.length(message.count)
        let fields: [UInt8] = [0x02, 0x01, 0x01, 0x02, 0x01, 0x00]
        let contentLength = fields.count + octetHeader.count + message.count
        var out: [UInt8] = []
        out.reserveCapacity(6 + contentLength)
        out.append(0x30)
        out += DERHeader.length(contentLength)
        out += fields
        out += octetHeader
        out += message
        return out
    }
}
