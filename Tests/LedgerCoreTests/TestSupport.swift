import LedgerCore
import LedgerCrypto

func hex(_ text: String) -> [UInt8] {
    guard let bytes = Hex.decode(text) else { fatalError("bad hex literal in test: \(text)") }
    return bytes
}

/// SplitMix64, so every property test is reproducible from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }

    mutating func uint64() -> UInt64 {
        // Favour boundary values: that is where DER integer encodings change length.
        switch Int.random(in: 0..<4, using: &self) {
        case 0: return [0, 1, 127, 128, 255, 256, UInt64(Int64.max), UInt64.max].randomElement(using: &self)!
        case 1: return UInt64.random(in: 0...300, using: &self)
        default: return next() >> UInt64.random(in: 0...63, using: &self)
        }
    }
}

enum Samples {
    static let chain = ChainID("civic-devnet")!

    static func publicKey(_ rng: inout SeededGenerator) -> PublicKeyBytes {
        PublicKeyBytes([UInt8.random(in: 2...3, using: &rng)] + rng.bytes(32))!
    }

    static func digest(_ rng: inout SeededGenerator) -> Digest { Digest(rng.bytes(32))! }

    static func chainID(_ rng: inout SeededGenerator) -> ChainID {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789-")
        let length = Int.random(in: 0..<ChainID.maxLength, using: &rng)
        let rest = (0..<length).map { _ in alphabet.randomElement(using: &rng)! }
        return ChainID(String(alphabet.prefix(36).randomElement(using: &rng)!) + String(rest))!
    }

    static func transaction(_ rng: inout SeededGenerator) -> Transaction {
        let payloadSize = Bool.random(using: &rng) ? Int.random(in: 0...200, using: &rng) : Int.random(in: 0...5000, using: &rng)
        return try! Transaction(
            chainID: chainID(&rng), sender: publicKey(&rng), nonce: rng.uint64(), expiryHeight: Height(rng.uint64()),
            kind: UInt16.random(in: 0...UInt16.max, using: &rng), payload: rng.bytes(payloadSize))
    }

    static func signedTransaction(_ rng: inout SeededGenerator) -> SignedTransaction {
        try! SignedTransaction(transaction: transaction(&rng), signature: rng.bytes(Int.random(in: 1...72, using: &rng)))
    }

    static func header(_ rng: inout SeededGenerator) -> BlockHeader {
        BlockHeader(
            chainID: chainID(&rng), height: Height(rng.uint64()), previousHash: digest(&rng),
            timestampMillis: rng.uint64(), transactionsRoot: digest(&rng), stateRoot: digest(&rng),
            proposer: Address(rng.bytes(20))!)
    }

    static func block(_ rng: inout SeededGenerator) -> Block {
        let count = Int.random(in: 0...8, using: &rng)
        return try! Block(header: header(&rng), transactions: (0..<count).map { _ in signedTransaction(&rng) })
    }
}
