import LedgerCore
import LedgerCrypto
import LedgerTesting
import Testing

/// Every copy of `bytes` with exactly one bit flipped, with the bit's index.
func singleBitFlips(of bytes: [UInt8]) -> [(bit: Int, bytes: [UInt8])] {
    (0..<(bytes.count * 8)).map { bit in
        var copy = bytes
        copy[bit / 8] ^= 1 << (bit % 8)
        return (bit, copy)
    }
}

/// What both suites must refuse, and that `verify` is total on any input.
@Suite("Signature rejection, both suites")
struct RejectionTests {
    struct Fixture {
        let suite: any CryptoSuite
        let key: PrivateKey
        let other: PrivateKey
        let message: [UInt8]
        let signature: [UInt8]

        init(_ id: SuiteID) throws {
            suite = CryptoSuites.suite(id)
            key = try suite.privateKey(rawScalar: hex("3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8"))
            other = try suite.privateKey(rawScalar: hex("0000000000000000000000000000000000000000000000000000000000000007"))
            message = Array("证照核验 licence check #42".utf8)
            signature = try suite.sign(message, with: key)
        }
    }

    @Test("A valid signature verifies", arguments: SuiteID.allCases)
    func valid(id: SuiteID) throws {
        let f = try Fixture(id)
        #expect(f.suite.verify(signature: f.signature, for: f.message, publicKey: f.key.publicKey))
    }

    @Test("Wrong public key", arguments: SuiteID.allCases)
    func wrongKey(id: SuiteID) throws {
        let f = try Fixture(id)
        #expect(!f.suite.verify(signature: f.signature, for: f.message, publicKey: f.other.publicKey))
    }

    @Test("Every single-bit flip of the message is refused", arguments: SuiteID.allCases)
    func flippedMessage(id: SuiteID) throws {
        let f = try Fixture(id)
        for (bit, m) in singleBitFlips(of: f.message) {
            #expect(!f.suite.verify(signature: f.signature, for: m, publicKey: f.key.publicKey), "bit \(bit)")
        }
    }

    @Test("Every single-bit flip of the signature is refused", arguments: SuiteID.allCases)
    func flippedSignature(id: SuiteID) throws {
        let f = try Fixture(id)
        for (bit, s) in singleBitFlips(of: f.signature) {
            #expect(!f.suite.verify(signature: s, for: f.message, publicKey: f.key.publicKey), "bit \(bit)")
        }
    }

    @Test("Every single-bit flip of the public key is refused or fails to verify", arguments: SuiteID.allCases)
    func flippedKey(id: SuiteID) throws {
        let f = try Fixture(id)
        for (bit, k) in singleBitFlips(of: f.key.publicKey.compressed.bytes) {
            guard let flipped = try? f.suite.publicKey(sec1: k) else { continue }
            #expect(!f.suite.verify(signature: f.signature, for: f.message, publicKey: flipped), "bit \(bit)")
        }
    }

    @Test("Truncated, extended, empty and oversized signatures", arguments: SuiteID.allCases)
    func wrongLengths(id: SuiteID) throws {
        let f = try Fixture(id)
        var candidates: [[UInt8]] = [[], [0x30], Array(f.signature.dropLast()), f.signature + [0],
                                     [UInt8](repeating: 0, count: 64), [UInt8](repeating: 0xff, count: 1 << 16)]
        for n in 1..<f.signature.count { candidates.append(Array(f.signature.prefix(n))) }
        for candidate in candidates {
            #expect(!f.suite.verify(signature: candidate, for: f.message, publicKey: f.key.publicKey))
        }
    }

    @Test("A key of one suite is refused by the other", arguments: SuiteID.allCases)
    func crossSuite(id: SuiteID) throws {
        let f = try Fixture(id)
        let otherSuite = CryptoSuites.suite(id == .standard ? .guomi : .standard)
        #expect(throws: CryptoError.wrongSuite(expected: otherSuite.id, found: id)) {
            try otherSuite.sign(f.message, with: f.key)
        }
        #expect(!otherSuite.verify(signature: f.signature, for: f.message, publicKey: f.key.publicKey))
    }

    @Test("verify is total on random byte strings", arguments: SuiteID.allCases)
    func randomBytes(id: SuiteID) throws {
        let f = try Fixture(id)
        var rng = SeededGenerator(seed: 0xC1C1C)
        for _ in 0..<2_000 {
            var candidate = rng.bytes(Int.random(in: 0...100, using: &rng))
            if Bool.random(using: &rng), candidate.count > 2 {
                // Nudge toward plausible DER so the strict parser's deeper paths run.
                candidate[0] = 0x30
                candidate[1] = UInt8(candidate.count - 2)
            }
            #expect(!f.suite.verify(signature: candidate, for: f.message, publicKey: f.key.publicKey))
        }
    }

    @Test("Generated keys are distinct and work", arguments: SuiteID.allCases)
    func generated(id: SuiteID) throws {
        let suite = CryptoSuites.suite(id)
        let a = try suite.generatePrivateKey()
        let b = try suite.generatePrivateKey()
        #expect(a.publicKey != b.publicKey)
        let signature = try suite.sign([1, 2, 3], with: a)
        #expect(suite.verify(signature: signature, for: [1, 2, 3], publicKey: a.publicKey))
        #expect(suite.address(of: a.publicKey) != suite.address(of: b.publicKey))
    }
}
