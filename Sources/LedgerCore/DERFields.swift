import SwiftASN1

/// Field readers and writers shared by every canonical type, so that the size and
/// alphabet rules live in one place. Public: the ledger's payloads and the
/// consensus messages are canonical types of other modules.
public enum DERFields {
    public static func readVersion(_ nodes: inout ASN1NodeCollection.Iterator, supported: [Int]) throws -> Int {
        let version = try Int(derEncoded: &nodes)
        guard supported.contains(version) else {
            throw VersionViolation(found: version, supported: supported)
        }
        return version
    }

    public static func readOctets(
        _ nodes: inout ASN1NodeCollection.Iterator, field: String, count: ClosedRange<Int>
    ) throws -> [UInt8] {
        let octets = try ASN1OctetString(derEncoded: &nodes)
        guard count.contains(octets.bytes.count) else {
            throw FieldViolation(field: field, reason: "length \(octets.bytes.count) not in \(count.lowerBound)...\(count.upperBound)")
        }
        return Array(octets.bytes)
    }

    public static func readUInt64(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> UInt64 {
        do {
            return try UInt64(derEncoded: &nodes)
        } catch let error as ASN1Error where error.code == .invalidASN1IntegerEncoding {
            // Negative or wider than 64 bits; a non-minimal integer is a DER error
            // raised earlier by the parser, so this is a range problem.
            throw FieldViolation(field: field, reason: "not an integer in 0...\(UInt64.max)")
        }
    }

    public static func readUTF8(
        _ nodes: inout ASN1NodeCollection.Iterator, field: String, maxBytes: Int
    ) throws -> String {
        let raw = try ASN1UTF8String(derEncoded: &nodes)
        let bytes = Array(raw.bytes)
        guard bytes.count <= maxBytes else {
            throw FieldViolation(field: field, reason: "\(bytes.count) bytes, over the limit of \(maxBytes)")
        }
        // Invalid UTF-8 would be replaced on decoding and so re-encode differently.
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw FieldViolation(field: field, reason: "not valid UTF-8")
        }
        return text
    }

    public static func writeOctets(_ bytes: [UInt8], into coder: inout DER.Serializer) throws {
        coder.appendOctetString(bytes)
    }

    public static func writeUTF8(_ text: String, into coder: inout DER.Serializer) throws {
        try coder.serialize(ASN1UTF8String(text))
    }

    public static func readBool(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> Bool {
        guard let node = nodes.next() else { throw FieldViolation(field: field, reason: "missing") }
        return try Bool(derEncoded: node)
    }

    /// Reads a `SEQUENCE OF` with at most `maxCount` elements, so a hostile list
    /// is refused before its elements are decoded.
    public static func readSequence<T>(
        _ nodes: inout ASN1NodeCollection.Iterator, field: String, maxCount: Int,
        element: (ASN1Node) throws -> T
    ) throws -> [T] {
        guard let node = nodes.next() else { throw FieldViolation(field: field, reason: "missing") }
        return try DER.sequence(node, identifier: .sequence) { items in
            var out: [T] = []
            while let item = items.next() {
                guard out.count < maxCount else {
                    throw FieldViolation(field: field, reason: "more than \(maxCount) elements")
                }
                out.append(try element(item))
            }
            return out
        }
    }
}
