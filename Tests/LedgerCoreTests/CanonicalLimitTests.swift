@testable import LedgerCore
import LedgerTesting
import SwiftASN1
import Testing

/// Field and size limits enforced on the decoding side, where hostile bytes arrive.
@Suite("Canonical limits on decode")
struct CanonicalLimitTests {
    /// Writes a Transaction-shaped SEQUENCE with any field values, valid or not.
    func rawTransaction(
        version: Int = 1, chainID: String = "civic-devnet", sender: [UInt8] = [0x02] + [UInt8](repeating: 7, count: 32),
        kind: UInt64 = 1, payload: [UInt8] = []
    ) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(version)
            try coder.serialize(ASN1UTF8String(chainID))
            try coder.serialize(ASN1OctetString(contentBytes: sender[...]))
            try coder.serialize(UInt64(0))
            try coder.serialize(UInt64(10))
            try coder.serialize(kind)
            try coder.serialize(ASN1OctetString(contentBytes: payload[...]))
        }
        return coder.serializedBytes
    }

    func wrap(_ inner: [UInt8], version: Int = 1, signature: [UInt8] = [1]) throws -> [UInt8] {
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(version)
            coder.serializeRawBytes(inner)
            try coder.serialize(ASN1OctetString(contentBytes: signature[...]))
        }
        return coder.serializedBytes
    }

    func expectField<T: CanonicalCodable>(_ type: T.Type, _ bytes: [UInt8], field: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(sourceLocation: sourceLocation) {
            try Canonical.decode(type, from: bytes)
        } throws: { error in
            guard case let .invalidField(_, name, _) = error as? CanonicalError else { return false }
            return name == field
        }
    }

    @Test("A valid hand-built transaction decodes, so the refusals below are about their one field")
    func baseline() throws {
        #expect(throws: Never.self) { try Canonical.decode(Transaction.self, from: try rawTransaction()) }
        #expect(throws: Never.self) { try Canonical.decode(SignedTransaction.self, from: try wrap(try rawTransaction())) }
    }

    @Test("Oversize or malformed fields are refused with the field named")
    func fields() throws {
        expectField(Transaction.self, try rawTransaction(chainID: String(repeating: "a", count: 65)), field: "chainID")
        expectField(Transaction.self, try rawTransaction(chainID: "Has Space"), field: "chainID")
        expectField(Transaction.self, try rawTransaction(kind: 65_536), field: "kind")
        expectField(Transaction.self, try rawTransaction(payload: [UInt8](repeating: 0, count: Transaction.maxPayloadSize + 1)),
                    field: "payload")
        expectField(Transaction.self, try rawTransaction(sender: [0x04] + [UInt8](repeating: 7, count: 32)), field: "sender")
        expectField(SignedTransaction.self, try wrap(try rawTransaction(), signature: [UInt8](repeating: 1, count: 73)),
                    field: "signature")
        expectField(SignedTransaction.self, try wrap(try rawTransaction(), signature: []), field: "signature")
    }

    @Test("Unknown versions of every type are refused")
    func versions() throws {
        #expect(throws: CanonicalError.unsupportedVersion(type: "Transaction", found: 2, supported: [1])) {
            try Canonical.decode(Transaction.self, from: try rawTransaction(version: 2))
        }
        #expect(throws: CanonicalError.unsupportedVersion(type: "SignedTransaction", found: 0, supported: [1])) {
            try Canonical.decode(SignedTransaction.self, from: try wrap(try rawTransaction(), version: 0))
        }
        var rng = SeededGenerator(seed: 21)
        var block = Canonical.encode(Samples.block(&rng))
        let contentStart = block[1] < 0x80 ? 2 : 2 + Int(block[1] & 0x7f)
        block[contentStart + 2] = 9
        #expect(throws: CanonicalError.unsupportedVersion(type: "Block", found: 9, supported: [1])) {
            try Canonical.decode(Block.self, from: block)
        }
    }

    @Test("More than 10,000 transactions in a block are refused on decode")
    func tooManyTransactions() throws {
        var rng = SeededGenerator(seed: 22)
        let header = Samples.header(&rng)
        var coder = DER.Serializer()
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            try coder.serialize(1)
            try coder.serialize(header)
            try coder.appendConstructedNode(identifier: .sequence) { coder in
                // Small transactions so the block stays far under the byte cap.
                let small = Canonical.encode(try SignedTransaction(
                    transaction: Transaction(chainID: Samples.chain, sender: Samples.publicKey(&rng), nonce: 0,
                                             expiryHeight: 0, kind: 0, payload: []),
                    signature: [1]))
                for _ in 0...Block.maxTransactions { coder.serializeRawBytes(small) }
            }
        }
        let bytes = coder.serializedBytes
        #expect(bytes.count < Block.maxEncodedSize)
        #expect {
            try Canonical.decode(Block.self, from: bytes)
        } throws: { error in
            guard let error = error as? CanonicalError else { return false }
            switch error {
            case .invalidField(_, "transactions", _): return true
            case let .malformed(_, reason): return reason.contains("DER nodes")
            default: return false
            }
        }
    }

    @Test("A block whose transactions exceed the byte cap is refused at construction, not at encoding")
    func blockByteCap() throws {
        var rng = SeededGenerator(seed: 23)
        let big = try SignedTransaction(
            transaction: Transaction(chainID: Samples.chain, sender: Samples.publicKey(&rng), nonce: 0, expiryHeight: 0,
                                     kind: 0, payload: [UInt8](repeating: 0xab, count: Transaction.maxPayloadSize)),
            signature: [1])
        let count = Block.maxEncodedSize / Transaction.maxPayloadSize + 1
        #expect {
            try Block(header: Samples.header(&rng), transactions: Array(repeating: big, count: count))
        } throws: { error in
            guard case .invalidField(_, "transactions", _) = error as? CanonicalError else { return false }
            return true
        }
    }

    @Test("Input with far more DER nodes than the type can hold is refused before parsing")
    func nodeFlood() {
        // 30 83 xx xx xx, then NULLs: one huge SEQUENCE of tiny nodes, under the byte cap.
        let bodyLength = 4 * 1024 * 1024
        var bytes: [UInt8] = [0x30, 0x83, UInt8(bodyLength >> 16), UInt8((bodyLength >> 8) & 0xff), UInt8(bodyLength & 0xff)]
        bytes.reserveCapacity(bodyLength + 5)
        for _ in 0..<(bodyLength / 2) { bytes.append(contentsOf: [0x05, 0x00]) }
        #expect(throws: CanonicalError.malformed(type: "Block", reason: "more than \(Block.maxNodeCount) DER nodes")) {
            try Canonical.decode(Block.self, from: bytes)
        }
        #expect(DERNodeCount.exceeds(3, in: [0x30, 0x04, 0x05, 0x00, 0x05, 0x00, 0x05, 0x00]))
        #expect(!DERNodeCount.exceeds(4, in: [0x30, 0x06, 0x05, 0x00, 0x05, 0x00, 0x05, 0x00]))
    }

    @Test("Values at every field's maximum encode within their type's cap")
    func maximaFitCaps() throws {
        let chain = ChainID(String(repeating: "z", count: ChainID.maxLength))!
        let sender = PublicKeyBytes([0x03] + [UInt8](repeating: 0xff, count: 32))!
        let tx = try Transaction(chainID: chain, sender: sender, nonce: .max, expiryHeight: Height(.max), kind: .max,
                                 payload: [UInt8](repeating: 0xff, count: Transaction.maxPayloadSize))
        #expect(Canonical.encode(tx).count <= Transaction.maxEncodedSize)
        let signed = try SignedTransaction(transaction: tx, signature: [UInt8](repeating: 0xff, count: SignedTransaction.maxSignatureSize))
        #expect(Canonical.encode(signed).count <= SignedTransaction.maxEncodedSize)
        let header = BlockHeader(chainID: chain, height: Height(.max), previousHash: Digest([UInt8](repeating: 0xff, count: 32))!,
                                 timestampMillis: .max, transactionsRoot: .zero, stateRoot: .zero,
                                 proposer: Address([UInt8](repeating: 0xff, count: 20))!)
        #expect(Canonical.encode(header).count <= BlockHeader.maxEncodedSize)
    }
}
