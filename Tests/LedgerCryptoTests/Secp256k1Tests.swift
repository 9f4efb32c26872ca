import LedgerCore
import LedgerCrypto
import LedgerTesting
import Testing

@Suite("standard suite: secp256k1 ECDSA")
struct Secp256k1Tests {
    let suite = CryptoSuites.standard
    static let order = hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")

    struct Vector: Sendable, CustomTestStringConvertible {
        var key: String, message: String, r: String, s: String
        var testDescription: String { message }
    }

    // RFC 6979 nonces, SHA-256 of the message, low-S. From oleganza/btcruby
    // spec/secp256k1_spec.rb and bitcoinjs-lib test/fixtures/ecdsa.json; all
    // re-derived independently before being copied here.
    static let vectors: [Vector] = [
        .init(key: "0000000000000000000000000000000000000000000000000000000000000001", message: "Satoshi Nakamoto",
              r: "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8",
              s: "2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5"),
        .init(key: "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", message: "Satoshi Nakamoto",
              r: "fd567d121db66e382991534ada77a6bd3106f0a1098c231e47993447cd6af2d0",
              s: "6b39cd0eb1bc8603e159ef5c20a5c8ad685a45b06ce9bebed3f153d10d93bed5"),
        .init(key: "0000000000000000000000000000000000000000000000000000000000000001",
              message: "All those moments will be lost in time, like tears in rain. Time to die...",
              r: "8600dbd41e348fe5c9465ab92d23e3db8b98b873beecd930736488696438cb6b",
              s: "547fe64427496db33bf66019dacbf0039c04199abb0122918601db38a72cfc21"),
        .init(key: "f8b8af8ce3c7cca5e300d33939540c10d45ce001b8f252bfbc57ba0342904181", message: "Alan Turing",
              r: "7063ae83e7f62bbb171798131b4a0564b956930092b33b07b395615d9ec7e15c",
              s: "58dfcc1e00a35e1572f366ffe34ba0fc47db1e7189759b9fb233c5b05ab388ea"),
        .init(key: "0000000000000000000000000000000000000000000000000000000000000001",
              message: "Everything should be made as simple as possible, but not simpler.",
              r: "33a69cd2065432a30f3d1ce4eb0d59b8ab58c74f27c41a7fdb5696ad4e6108c9",
              s: "6f807982866f785d3f6418d24163ddae117b7db4d5fdf0071de069fa54342262"),
        .init(key: "69ec59eaa1f4f2e36b639716b7c30ca86d9a5375c7b38d8918bd9c0ebc80ba64",
              message: "Computer science is no more about computers than astronomy is about telescopes.",
              r: "7186363571d65e084e7f02b0b77c3ec44fb1b257dee26274c38c928986fea45d",
              s: "0de0b38e06807e46bda1f1e293f4f6323e854c86d58abdd00c46c16441085df6"),
    ]

    @Test("Deterministic signatures match published vectors", arguments: vectors)
    func publishedVector(vector: Vector) throws {
        let key = try suite.privateKey(rawScalar: hex(vector.key))
        let message = Array(vector.message.utf8)
        let signature = try suite.sign(message, with: key)
        #expect(Hex.encode(signature) == vector.r + vector.s)
        #expect(suite.verify(signature: signature, for: message, publicKey: key.publicKey))
    }

    @Test("High-S twin of a valid signature is refused as malleable", arguments: vectors)
    func highSRejected(vector: Vector) throws {
        let key = try suite.privateKey(rawScalar: hex(vector.key))
        let highS = subtract(Self.order, hex(vector.s))
        let malleated = hex(vector.r) + highS
        #expect(!suite.verify(signature: malleated, for: Array(vector.message.utf8), publicKey: key.publicKey))
    }

    @Test("Public key of scalar 1 is the generator; both SEC1 forms parse to it")
    func generator() throws {
        let key = try suite.privateKey(rawScalar: hex("0000000000000000000000000000000000000000000000000000000000000001"))
        let g = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
        #expect(key.publicKey.hex == g)
        let uncompressed = "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
            + "483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8"
        #expect(try suite.publicKey(hex: uncompressed) == key.publicKey)
        #expect(try suite.publicKey(hex: g) == key.publicKey)
        #expect(Hex.encode(key.publicKey.uncompressed) == uncompressed)
    }

    @Test("Scalars out of range are refused", arguments: [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "01",
    ])
    func badScalars(scalar: String) {
        #expect(throws: CryptoError.invalidPrivateKey(suite: .standard)) {
            try suite.privateKey(rawScalar: hex(scalar))
        }
    }

    @Test("Malformed public keys are refused", arguments: [
        "",
        "02",
        // x = 5 has no point on secp256k1 (x^3 + 7 is a non-residue).
        "020000000000000000000000000000000000000000000000000000000000000005",
        // Hybrid encoding of G: a valid point, but not a form we accept.
        "0679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8",
        // Uncompressed G with y + 1: off the curve.
        "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b9",
        "0579be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798",
    ])
    func badPublicKeys(key: String) {
        #expect(throws: CryptoError.self) { try suite.publicKey(sec1: hex(key)) }
    }

    @Test("Zero and out-of-range r or s are refused")
    func degenerateSignatures() throws {
        let vector = Self.vectors[0]
        let key = try suite.privateKey(rawScalar: hex(vector.key))
        let message = Array(vector.message.utf8)
        let zero = [UInt8](repeating: 0, count: 32)
        for signature in [
            zero + hex(vector.s),
            hex(vector.r) + zero,
            zero + zero,
            Self.order + hex(vector.s),
            hex(vector.r) + Self.order,
        ] {
            #expect(!suite.verify(signature: signature, for: message, publicKey: key.publicKey))
        }
    }
}
