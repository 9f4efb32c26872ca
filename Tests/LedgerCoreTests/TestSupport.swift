import LedgerCore
import LedgerCrypto
import LedgerTesting

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
            chainID: chainID(&rng), sender: publicKey(&rng), nonce: rng.boundaryUInt64(), expiryHeight: Height(rng.boundaryUInt64()),
            kind: UInt16.random(in: 0...UInt16.max, using: &rng), payload: rng.bytes(payloadSize))
    }

    static func signedTransaction(_ rng: inout SeededGenerator) -> SignedTransaction {
        try! SignedTransaction(transaction: transaction(&rng), signature: rng.bytes(Int.random(in: 1...72, using: &rng)))
    }

    static func header(_ rng: inout SeededGenerator) -> BlockHeader {
        BlockHeader(
            chainID: chainID(&rng), height: Height(rng.boundaryUInt64()), previousHash: digest(&rng),
            timestampMillis: rng.boundaryUInt64(), transactionsRoot: digest(&rng), stateRoot: digest(&rng),
            proposer: Address(rng.bytes(20))!)
    }

    static func block(_ rng: inout SeededGenerator) -> Block {
        let count = Int.random(in: 0...8, using: &rng)
        return try! Block(header: header(&rng), transactions: (0..<count).map { _ in signedTransaction(&rng) })
    }
}
