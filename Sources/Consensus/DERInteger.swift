import LedgerCore
import SwiftASN1

/// DER INTEGER for non-negative 64-bit values, written and read directly.
///
/// swift-asn1's generic integer path produces the same bytes but costs most of
/// the simulator's time in debug builds, where it is not specialised; votes are
/// mostly integers. The reader is as strict as DER: minimal length, no sign
/// padding beyond what a high bit needs, no negatives.
enum DERInteger {
    static func write(_ value: UInt64, into coder: inout DER.Serializer) {
        coder.appendPrimitiveNode(identifier: .integer) { bytes in
            var shift = 56
            while shift > 0 && (value >> UInt64(shift)) & 0xFF == 0 { shift -= 8 }
            // A set top bit would read as negative: DER prefixes one zero byte.
            if (value >> UInt64(shift)) & 0x80 != 0 { bytes.append(0) }
            while shift >= 0 {
                bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
                shift -= 8
            }
        }
    }

    static func read(_ nodes: inout ASN1NodeCollection.Iterator, field: String) throws -> UInt64 {
        guard let node = nodes.next() else { throw FieldViolation(field: field, reason: "missing") }
        guard node.identifier == .integer, case let .primitive(content) = node.content else {
            throw FieldViolation(field: field, reason: "not an INTEGER")
        }
        let bytes = Array(content)
        guard let first = bytes.first else { throw FieldViolation(field: field, reason: "empty INTEGER") }
        if bytes.count > 1 {
            let second = bytes[1]
            guard !(first == 0 && second & 0x80 == 0), !(first == 0xFF && second & 0x80 != 0) else {
                throw FieldViolation(field: field, reason: "non-minimal INTEGER encoding")
            }
        }
        guard first & 0x80 == 0 else { throw FieldViolation(field: field, reason: "negative") }
        guard bytes.count <= 8 || (bytes.count == 9 && first == 0) else {
            throw FieldViolation(field: field, reason: "wider than 64 bits")
        }
        return bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    static func readVersion(_ nodes: inout ASN1NodeCollection.Iterator, supported: [Int]) throws {
        let version = try read(&nodes, field: "version")
        guard supported.contains(where: { UInt64($0) == version }) else {
            throw VersionViolation(found: Int(clamping: version), supported: supported)
        }
    }
}
