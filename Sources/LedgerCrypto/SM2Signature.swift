import SwiftASN1

/// Strict reading of an SM2 signature `SEQUENCE { r INTEGER, s INTEGER }`.
///
/// OpenSSL's verifier is lenient about some encodings; the ledger is not, because
/// two byte strings for one signature would give one transaction two ids.
enum SM2Signature {
    /// The longest DER signature: two 33-byte integers with headers.
    static let maxSize = 72

    /// True when `bytes` is strict DER with 1 <= r, s <= n-1.
    static func isStrictDER(_ bytes: [UInt8]) -> Bool {
        guard bytes.count <= maxSize, let node = try? DER.parse(bytes) else { return false }
        let parsed = try? DER.sequence(node, identifier: .sequence) { nodes in
            (try ArraySlice<UInt8>(derEncoded: &nodes), try ArraySlice<UInt8>(derEncoded: &nodes))
        }
        guard let (r, s) = parsed else { return false }
        return isInRange(r) && isInRange(s)
    }

    /// `value` is the unsigned magnitude, already minimal (swift-asn1 strips the sign byte).
    private static func isInRange(_ value: ArraySlice<UInt8>) -> Bool {
        guard value.count <= 32, value.contains(where: { $0 != 0 }) else { return false }
        let padded = [UInt8](repeating: 0, count: 32 - value.count) + value
        return padded.lexicographicallyPrecedes(SM2Curve.order)
    }
}
