import COpenSSL
import LedgerCore

/// Streaming SHA-256 or SM3 over OpenSSL's EVP interface.
///
/// A class because it owns an `EVP_MD_CTX`; not Sendable, as one hash is fed from
/// one place.
public final class IncrementalHasher {
    private let context: OpaquePointer
    private var finished = false

    init(algorithm: EVPDigestAlgorithm) {
        guard let context = EVP_MD_CTX_new(), EVP_DigestInit_ex2(context, algorithm.md, nil) == 1 else {
            // Only allocation failure gets here; there is no sensible way to go on.
            fatalError("EVP_MD_CTX allocation failed")
        }
        self.context = context
    }

    deinit { EVP_MD_CTX_free(context) }

    public func update(_ bytes: UnsafeRawBufferPointer) {
        precondition(!finished, "update after finalize")
        guard bytes.count > 0 else { return }
        let ok = EVP_DigestUpdate(context, bytes.baseAddress, bytes.count)
        precondition(ok == 1, "EVP_DigestUpdate failed")
    }

    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public func finalize() -> Digest {
        precondition(!finished, "finalize called twice")
        finished = true
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = EVP_DigestFinal_ex(context, &out, &length)
        precondition(ok == 1 && length == 32, "EVP_DigestFinal_ex failed")
        return Digest(out.prefix(32))!
    }
}
