import COpenSSL

enum Randomness {
    /// Bytes from OpenSSL's DRBG, seeded from the kernel; used for keys and for
    /// blinding the secp256k1 context.
    static func bytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        let ok = out.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { throw .randomnessUnavailable }
        return out
    }
}
