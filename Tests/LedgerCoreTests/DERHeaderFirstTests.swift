import LedgerCore
import LedgerTesting
import SwiftASN1
import Testing

/// The header-first writers must give swift-asn1's bytes exactly: every
/// `Canonical.decode` re-encodes and compares, so one differing byte would make
/// a replica refuse every message a peer sends.
@Suite("DER header first")
struct DERHeaderFirstTests {
    /// Every length form: short, and long with one, two, three and four octets,
    /// each at its edges.
    static let lengths = [0, 1, 127, 128, 255, 256, 65_535, 65_536, (1 << 24) - 1, 1 << 24]

    static let identifiers: [ASN1Identifier] = [
        .sequence, .set, .octetString, .integer,
        ASN1Identifier(tagWithNumber: 0, tagClass: .contextSpecific),
        ASN1Identifier(tagWithNumber: 30, tagClass: .contextSpecific),
        ASN1Identifier(tagWithNumber: 31, tagClass: .application),
        ASN1Identifier(tagWithNumber: 200, tagClass: .private),
        ASN1Identifier(tagWithNumber: 16_384, tagClass: .universal),
    ]

    @Test("A constructed node is byte for byte swift-asn1's, for every length form and tag class")
    func constructed() throws {
        var rng = SeededGenerator(seed: 7)
        for length in Self.lengths {
            let content = rng.bytes(length)
            // Every tag class at the short lengths; the megabyte ones (slow in a
            // debug build of swift-asn1) with a short and a long identifier form.
            let identifiers = length <= 65_536 ? Self.identifiers : [.sequence, Self.identifiers.last!]
            for identifier in identifiers {
                var ours = DER.Serializer()
                ours.appendLargeConstructedNode(identifier: identifier) { $0.serializeRawBytes(content) }
                var theirs = DER.Serializer()
                theirs.appendConstructedNode(identifier: identifier) { $0.serializeRawBytes(content) }
                Self.expectSame(ours.serializedBytes, theirs.serializedBytes, "length \(length), \(identifier)")
            }
        }
    }

    @Test("Nested large nodes and octet strings match swift-asn1's, and parse back")
    func nested() throws {
        var rng = SeededGenerator(seed: 8)
        let requests = (0..<300).map { index in rng.bytes(index * 37 % 700) }
        var ours = DER.Serializer()
        ours.appendLargeConstructedNode(identifier: .sequence) { outer in
            outer.appendLargeConstructedNode(identifier: .sequence) { list in
                for request in requests { list.appendOctetString(request) }
            }
        }
        var theirs = DER.Serializer()
        try theirs.appendConstructedNode(identifier: .sequence) { outer in
            try outer.appendConstructedNode(identifier: .sequence) { list in
                for request in requests { try list.serialize(ASN1OctetString(contentBytes: request[...])) }
            }
        }
        Self.expectSame(ours.serializedBytes, theirs.serializedBytes, "nested")
        let parsed = try DER.parse(ours.serializedBytes)
        let decoded = try DER.sequence(parsed, identifier: .sequence) { nodes in
            try DER.sequence(of: ASN1OctetString.self, identifier: .sequence, nodes: &nodes)
        }
        #expect(decoded.map { Array($0.bytes) } == requests)
    }

    @Test("An octet string matches swift-asn1's for every length form")
    func octetString() throws {
        var rng = SeededGenerator(seed: 9)
        for length in Self.lengths {
            let bytes = rng.bytes(length)
            var ours = DER.Serializer()
            ours.appendOctetString(bytes)
            var theirs = DER.Serializer()
            try theirs.serialize(ASN1OctetString(contentBytes: bytes[...]))
            Self.expectSame(ours.serializedBytes, theirs.serializedBytes, "length \(length)")
        }
    }

    /// Compares whole encodings but reports only their heads: a failure on a
    /// 16 MiB node should not print 16 MiB.
    static func expectSame(_ ours: [UInt8], _ theirs: [UInt8], _ context: String) {
        let same = ours == theirs
        #expect(same, "\(context): ours \(ours.count) bytes starting \(ours.prefix(8)), swift-asn1's \(theirs.count) starting \(theirs.prefix(8))")
    }

    @Test("Lengths are minimal definite lengths")
    func lengthForms() {
        #expect(DERHeader.length(0) == [0x00])
        #expect(DERHeader.length(127) == [0x7F])
        #expect(DERHeader.length(128) == [0x81, 0x80])
        #expect(DERHeader.length(256) == [0x82, 0x01, 0x00])
        #expect(DERHeader.length(1 << 24) == [0x84, 0x01, 0x00, 0x00, 0x00])
    }
}
