import SwiftASN1

/// DER writers for nodes whose content can be large (batches, lists of batches,
/// the messages that carry them), producing exactly swift-asn1's bytes.
///
/// Why: swift-asn1 writes a one-byte length placeholder, writes the content, and
/// when the content is longer than 127 bytes moves all of it right one byte at a
/// time (`Array._moveRange`). It does so again at every enclosing level, so a
/// VIEW-CHANGE carrying megabytes of batches was moved byte by byte five times.
/// Under overload that was 54 % of a replica's samples and starved the view
/// change it was encoding (docs/performance.md, "the view-change livelock").
/// Here the content is written apart and copied once behind a header written
/// first; an octet string's length is known, so its bytes are copied once.
/// `DERHeaderFirstTests` compares the bytes with swift-asn1's for every length
/// form and tag class.
extension DER.Serializer {
    public mutating func appendLargeConstructedNode(
        identifier: ASN1Identifier, _ contentWriter: (inout DER.Serializer) throws -> Void
    ) rethrows {
        var content = DER.Serializer()
        try contentWriter(&content)
        let bytes = content.serializedBytes
        serializeRawBytes(DERHeader.header(identifier, constructed: true, length: bytes.count))
        serializeRawBytes(bytes)
    }

    /// An OCTET STRING written header first: the same bytes as
    /// `serialize(ASN1OctetString(contentBytes:))` without the byte-wise move.
    public mutating func appendOctetString(_ bytes: [UInt8]) {
        serializeRawBytes(DERHeader.header(.octetString, constructed: false, length: bytes.count))
        serializeRawBytes(bytes)
    }
}

public enum DERHeader {
    /// Identifier and length octets of a node whose content is `length` bytes.
    public static func header(_ identifier: ASN1Identifier, constructed: Bool, length: Int) -> [UInt8] {
        // The two identifiers of nearly every large node, without a scratch serializer.
        if identifier == .sequence, constructed { return [0x30] + Self.length(length) }
        if identifier == .octetString, !constructed { return [0x04] + Self.length(length) }
        return identifierOctets(identifier, constructed: constructed) + Self.length(length)
    }

    /// A DER definite length: short form below 128, else the minimal long form.
    public static func length(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "a DER length is never negative")
        guard count >= 0x80 else { return [UInt8(count)] }
        var bytes: [UInt8] = []
        var rest = count
        while rest > 0 {
            bytes.append(UInt8(truncatingIfNeeded: rest))
            rest >>= 8
        }
        return [0x80 | UInt8(bytes.count)] + bytes.reversed()
    }

    /// The identifier octets as swift-asn1 writes them, taken from swift-asn1
    /// itself (an empty node minus its one-byte zero length) so the tag-number
    /// and class rules are not written a second time here.
    public static func identifierOctets(_ identifier: ASN1Identifier, constructed: Bool) -> [UInt8] {
        var scratch = DER.Serializer()
        if constructed {
            scratch.appendConstructedNode(identifier: identifier) { _ in }
        } else {
            scratch.appendPrimitiveNode(identifier: identifier) { _ in }
        }
        return Array(scratch.serializedBytes.dropLast())
    }
}
