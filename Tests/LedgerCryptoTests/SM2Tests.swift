import LedgerCore
@testable import LedgerCrypto
import LedgerTesting
import Testing

@Suite("guomi suite: SM2 with SM3")
struct SM2Tests {
    let suite = CryptoSuites.guomi

    // GB/T 32918.5-2016 (GM/T 0003.5-2012) Annex A, on the recommended curve:
    // ID "1234567812345678", M "message digest". Also in OpenSSL test/sm2_internal_test.c.
    static let d = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8"
    static let px = "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
    static let py = "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13"
    static let message = Array("message digest".utf8)
    static let r = "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"
    static let s = "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa"
    static let der = "3046022100" + r + "022100" + s
    static let order = hex("fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123")

    var publicKey: PublicKey {
        get throws { try suite.publicKey(sec1: hex("04" + Self.px + Self.py)) }
    }

    @Test("Standard's private key derives its published public key")
    func derivation() throws {
        let key = try suite.privateKey(rawScalar: hex(Self.d))
        #expect(Hex.encode(key.publicKey.uncompressed) == "04" + Self.px + Self.py)
        // y is odd, so the compressed prefix is 03.
        #expect(key.publicKey.hex == "03" + Self.px)
        #expect(try suite.publicKey(hex: "03" + Self.px) == key.publicKey)
    }

    @Test("The standard's signature verifies with the default distinguishing ID")
    func publishedSignatureVerifies() throws {
        #expect(suite.verify(signature: hex(Self.der), for: Self.message, publicKey: try publicKey))
    }

    @Test("Sign then verify round-trips with a fixed key; signatures are strict DER")
    func roundTrip() throws {
        let key = try suite.privateKey(rawScalar: hex(Self.d))
        var rng = SeededGenerator(seed: 32918)
        for length in [0, 1, 31, 32, 33, 1000] {
            let message = rng.bytes(length)
            let signature = try suite.sign(message, with: key)
            #expect(signature.count <= 72 && signature.first == 0x30)
            #expect(suite.verify(signature: signature, for: message, publicKey: key.publicKey))
        }
    }

    @Test("Non-DER and out-of-range encodings of the standard's signature are refused", arguments: [
        // BER long-form length for the sequence.
        "308146022100" + r + "022100" + s,
        // r with a redundant leading zero byte (00 00 f5…).
        "3047" + "0222" + "0000" + r + "022100" + s,
        // Trailing byte after the sequence.
        "3046022100" + r + "022100" + s + "00",
        // r = 0.
        "3026020100022100" + s,
        // s = n.
        "3046022100" + r + "022100fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123",
        // s negative (sign bit set, no 00 pad).
        "3045022100" + r + "0220" + s,
        // Raw r ‖ s is not DER.
        r + s,
    ])
    func strictDER(encoding: String) throws {
        #expect(!suite.verify(signature: hex(encoding), for: Self.message, publicKey: try publicKey))
    }

    @Test("Scalars outside 1...n-2 are refused")
    func badScalars() {
        let nMinus1 = subtract(Self.order, hex("0000000000000000000000000000000000000000000000000000000000000001"))
        for scalar in [[UInt8](repeating: 0, count: 32), nMinus1, Self.order, [UInt8](repeating: 0xff, count: 32)] {
            #expect(throws: CryptoError.invalidPrivateKey(suite: .guomi)) { try suite.privateKey(rawScalar: scalar) }
        }
        let nMinus2 = subtract(nMinus1, hex("0000000000000000000000000000000000000000000000000000000000000001"))
        #expect(throws: Never.self) { try suite.privateKey(rawScalar: nMinus2) }
    }

    @Test("Points off the SM2 curve are refused")
    func offCurve() {
        // (px, py + 1) is not on the curve.
        let badY = "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad14"
        #expect(throws: CryptoError.self) { try suite.publicKey(sec1: hex("04" + Self.px + badY)) }
        // x = p is out of the field.
        let p = "fffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffff"
        #expect(throws: CryptoError.self) { try suite.publicKey(sec1: hex("02" + p)) }
    }

    @Test("The strict DER reader on its own: boundaries of r and s, and length")
    func strictReader() {
        let nMinus1 = "fffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54122"
        #expect(SM2Signature.isStrictDER(hex(Self.der)))
        #expect(SM2Signature.isStrictDER(hex("3046022100" + nMinus1 + "022100" + nMinus1)))
        #expect(SM2Signature.isStrictDER(hex("3006020101020101")))
        #expect(!SM2Signature.isStrictDER(hex("3046022100" + Self.order.map { String(format: "%02x", $0) }.joined() + "022100" + Self.s)))
        #expect(!SM2Signature.isStrictDER(hex("3047" + "0222" + "0000" + Self.r + "022100" + Self.s)))
        #expect(!SM2Signature.isStrictDER(hex("3006020100020101")))
        #expect(!SM2Signature.isStrictDER(hex(Self.der) + [0]))
        #expect(!SM2Signature.isStrictDER([UInt8](repeating: 0x30, count: 73)))
        #expect(!SM2Signature.isStrictDER([]))
    }
}
