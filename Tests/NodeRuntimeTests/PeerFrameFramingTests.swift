import LedgerCore
import NodeRuntime
import Testing

/// The hand-framed consensus frame must be the canonical encoding, byte for
/// byte: peers decode it with the strict DER decoder.
@Suite("Peer frame consensus framing")
struct PeerFrameFramingTests {
    /// Lengths on both sides of each DER length form: short (< 128), one,
    /// two and three length bytes, for the octet string and for the sequence
    /// around it (which is 8 to 11 bytes longer).
    static let sizes = [1, 2, 100, 116, 117, 118, 119, 120, 127, 128, 200, 243, 244, 245, 246, 247, 248, 255, 256, 1_000,
                        65_523, 65_524, 65_525, 65_526, 65_527, 65_535, 65_536, 200_000, 1 << 20]

    @Test(arguments: sizes)
    func matchesTheCanonicalEncoding(size: Int) throws {
        let message = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
        let framed = PeerFrame.encodeConsensus(message)
        #expect(framed == Canonical.encode(PeerFrame.consensus(message)))
        #expect(try Canonical.decode(PeerFrame.self, from: framed) == .consensus(message))
    }
}
