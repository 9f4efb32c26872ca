import LedgerCore
import LedgerCrypto
import LedgerTesting
import Testing

@Suite("Identifiers")
struct IdentifierTests {
    @Test("Hex round-trips and refuses bad input")
    func hexCoding() {
        var rng = SeededGenerator(seed: 9)
        for length in 0..<70 {
            let bytes = rng.bytes(length)
            #expect(Hex.decode(Hex.encode(bytes)) == bytes)
        }
        #expect(Hex.decode("0xABcd") == [0xab, 0xcd])
        #expect(Hex.decode("abc") == nil)
        #expect(Hex.decode("zz") == nil)
        #expect(Hex.decode("") == [])
    }

    @Test("Fixed-size identifiers refuse other sizes")
    func sizes() {
        #expect(Digest([UInt8](repeating: 1, count: 31)) == nil)
        #expect(Digest([UInt8](repeating: 1, count: 32)) != nil)
        #expect(Address([UInt8](repeating: 1, count: 21)) == nil)
        #expect(PublicKeyBytes([0x04] + [UInt8](repeating: 1, count: 32)) == nil)
        #expect(PublicKeyBytes([0x02] + [UInt8](repeating: 1, count: 32)) != nil)
    }

    @Test("Addresses derive from the suite hash of the compressed key")
    func address() throws {
        for id in SuiteID.allCases {
            let suite = CryptoSuites.suite(id)
            let key = try suite.generatePrivateKey()
            let address = suite.address(of: key.publicKey)
            #expect(address.bytes == Array(suite.digest(key.publicKey.compressed.bytes).bytes.prefix(20)))
        }
    }

    @Test("Transaction id is the hash of the unsigned encoding, so the signature cannot change it")
    func txID() throws {
        var rng = SeededGenerator(seed: 10)
        let tx = Samples.transaction(&rng)
        let a = try SignedTransaction(transaction: tx, signature: [1])
        let b = try SignedTransaction(transaction: tx, signature: [2])
        #expect(a.transaction.id(using: CryptoSuites.standard) == b.transaction.id(using: CryptoSuites.standard))
        #expect(tx.id(using: CryptoSuites.standard).digest == CryptoSuites.standard.digest(Canonical.encode(tx)))
    }

    @Test("Height stops at the top instead of wrapping")
    func heights() {
        #expect(Height(5).next == Height(6))
        #expect(Height(UInt64.max).next == nil)
    }
}
