import COpenSSL
import LedgerCore

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
        return Digest(unchecked: out)
    }

    /// Writes straight into the caller's buffer: no array for the result.
    func digest(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) {
        precondition(output.count >= 32, "digest output of \(output.count) bytes")
        var length: UInt32 = 0
        let ok = EVP_Digest(
            input.baseAddress, input.count, output.baseAddress!.assumingMemoryBound(to: UInt8.self), &length, md, nil)
        precondition(ok == 1 && length == 32, "EVP_Digest failed")
    }
}
