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

/// A fetched EVP_MD. Fetching once avoids the provider lookup on every hash.
final class EVPDigestAlgorithm: @unchecked Sendable {
    // EVP_MD objects are immutable once fetched and documented as shareable
    // between threads, hence @unchecked Sendable.
    let md: OpaquePointer

    init(name: String) {
        guard let md = EVP_MD_fetch(nil, name, nil) else {
            fatalError("OpenSSL has no \(name) digest; is this OpenSSL 3 with the default provider?")
        }
        self.md = md
    }

    deinit { EVP_MD_free(md) }

    func digest(_ bytes: [UInt8]) -> Digest {
        var out = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &out, &length, md, nil)
        }
        precondition(ok == 1 && length == 32, "EVP_Digest failed")
        return Digest(out)!
    }
}
