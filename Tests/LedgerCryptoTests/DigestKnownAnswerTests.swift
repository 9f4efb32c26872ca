import LedgerCore
import LedgerCrypto
import LedgerTesting
import Testing

@Suite("Hash known answers")
struct DigestKnownAnswerTests {
    // FIPS 180-2 Appendix B / NIST CSRC examples.
    @Test("SHA-256 NIST vectors", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
         "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func sha256(input: String, expected: String) {
        #expect(CryptoSuites.standard.digest(Array(input.utf8)).hex == expected)
    }

    @Test("SHA-256 of one million 'a'")
    func sha256MillionA() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(CryptoSuites.standard.digest(input).hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    // GB/T 32905-2016 Appendix A (also OpenSSL test/recipes/30-test_evp_data/evpmd_sm3.txt).
    @Test("SM3 GB/T 32905 vectors", arguments: [
        ("abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
        (String(repeating: "abcd", count: 16), "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
    ])
    func sm3(input: String, expected: String) {
        #expect(CryptoSuites.guomi.digest(Array(input.utf8)).hex == expected)
    }

    @Test("Streaming hash equals one-shot for any chunking", arguments: SuiteID.allCases)
    func streaming(suite: SuiteID) {
        var rng = SeededGenerator(seed: 7)
        let data = rng.bytes(10_000)
        let crypto = CryptoSuites.suite(suite)
        for _ in 0..<20 {
            let hasher = crypto.makeHasher()
            var offset = 0
            while offset < data.count {
                let size = Int.random(in: 0...1500, using: &rng)
                let end = min(data.count, offset + size)
                hasher.update(Array(data[offset..<end]))
                offset = end
            }
            #expect(hasher.finalize() == crypto.digest(data))
        }
    }
}
