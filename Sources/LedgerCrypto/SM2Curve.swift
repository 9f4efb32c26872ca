import COpenSSL

/// The SM2 recommended curve (sm2p256v1, GB/T 32918.5) as an OpenSSL EC_GROUP, for
/// the point arithmetic EVP does not expose: deriving a public key from a scalar
/// and validating encoded points.
final class SM2Curve: @unchecked Sendable {
    // The group is never mutated after creation; OpenSSL only reads it (const) in
    // point operations, so sharing it between threads is safe.
    private let group: OpaquePointer

    /// Group order n, big-endian.
    static let order: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        0x72, 0x03, 0xDF, 0x6B, 0x21, 0xC6, 0x05, 0x2B, 0x53, 0xBB, 0xF4, 0x09, 0x39, 0xD5, 0x41, 0x23,
    ]

    init() {
        guard let group = EC_GROUP_new_by_curve_name(NID_sm2) else {
            fatalError("OpenSSL lacks the SM2 curve (NID_sm2); CivicLedger needs OpenSSL 3 with SM2 enabled")
        }
        self.group = group
        var order = [UInt8](repeating: 0, count: 32)
        let copied = BN_bn2binpad(EC_GROUP_get0_order(group), &order, 32)
        precondition(copied == 32 && order == Self.order, "OpenSSL's SM2 order differs from GB/T 32918.5")
    }

    deinit { EC_GROUP_free(group) }

    /// SM2 requires 1 <= d <= n-2 (GB/T 32918.1 §6.1), stricter than plain ECDSA.
    static func isValidScalar(_ scalar: [UInt8]) -> Bool {
        guard scalar.count == 32, scalar.contains(where: { $0 != 0 }) else { return false }
        var nMinus1 = order
        nMinus1[31] -= 1  // n ends in 0x23, so no borrow
        return scalar.lexicographicallyPrecedes(nMinus1)
    }

    /// Returns (compressed, uncompressed) encodings of d·G, or nil if OpenSSL fails.
    func publicPoint(forScalar scalar: [UInt8]) -> (compressed: [UInt8], uncompressed: [UInt8])? {
        guard let ctx = BN_CTX_new() else { return nil }
        defer { BN_CTX_free(ctx) }
        guard let d = BN_bin2bn(scalar, Int32(scalar.count), nil) else { return nil }
        defer { BN_clear_free(d) }
        guard let point = EC_POINT_new(group) else { return nil }
        defer { EC_POINT_free(point) }
        guard EC_POINT_mul(group, point, d, nil, nil, ctx) == 1 else { return nil }
        return encodings(of: point, ctx: ctx)
    }

    /// Decodes a SEC1 point, checking it lies on the curve and is not infinity.
    func decodePoint(_ sec1: [UInt8]) -> (compressed: [UInt8], uncompressed: [UInt8])? {
        guard let ctx = BN_CTX_new() else { return nil }
        defer { BN_CTX_free(ctx) }
        guard let point = EC_POINT_new(group) else { return nil }
        defer { EC_POINT_free(point) }
        // oct2point checks that the point satisfies the curve equation.
        guard EC_POINT_oct2point(group, point, sec1, sec1.count, ctx) == 1,
              EC_POINT_is_at_infinity(group, point) == 0,
              EC_POINT_is_on_curve(group, point, ctx) == 1
        else { return nil }
        return encodings(of: point, ctx: ctx)
    }

    private func encodings(of point: OpaquePointer, ctx: OpaquePointer) -> (compressed: [UInt8], uncompressed: [UInt8])? {
        var compressed = [UInt8](repeating: 0, count: 33)
        var uncompressed = [UInt8](repeating: 0, count: 65)
        guard EC_POINT_point2oct(group, point, POINT_CONVERSION_COMPRESSED, &compressed, 33, ctx) == 33,
              EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, &uncompressed, 65, ctx) == 65
        else { return nil }
        return (compressed, uncompressed)
    }
}
