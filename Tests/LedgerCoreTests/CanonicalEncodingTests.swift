@testable import LedgerCore
import SwiftASN1
import LedgerTesting
import Testing

@Suite("Canonical encoding")
struct CanonicalEncodingTests {
    @Test("Random values round-trip exactly")
    func roundTrip() throws {
        var rng = SeededGenerator(seed: 1)
        for _ in 0..<300 {
            let tx = Samples.transaction(&rng)
            #expect(try Canonical.decode(Transaction.self, from: Canonical.encode(tx)) == tx)
            let signed = Samples.signedTransaction(&rng)
            #expect(try Canonical.decode(SignedTransaction.self, from: Canonical.encode(signed)) == signed)
            let header = Samples.header(&rng)
            #expect(try Canonical.decode(BlockHeader.self, from: Canonical.encode(header)) == header)
        }
        for _ in 0..<30 {
            let block = Samples.block(&rng)
            #expect(try Canonical.decode(Block.self, from: Canonical.encode(block)) == block)
        }
    }

    @Test("A signed transaction's encoding holds its transaction's encoding as a slice")
    func transactionSlice() throws {
        var rng = SeededGenerator(seed: 21)
        var samples = (0..<500).map { _ in Samples.signedTransaction(&rng) }
        // Every length form the envelope can take: short, one, two and three length bytes.
        for payloadSize in [0, 60, 100, 200, 300, 70_000 - 66_000, Transaction.maxPayloadSize] {
            let tx = try Transaction(
                chainID: Samples.chainID(&rng), sender: Samples.publicKey(&rng), nonce: 0, expiryHeight: Height(0),
                kind: 0, payload: rng.bytes(payloadSize))
            for signatureSize in [1, 64, 72] {
                samples.append(try SignedTransaction(transaction: tx, signature: rng.bytes(signatureSize)))
            }
        }
        for signed in samples {
            let slice = SignedTransaction.transactionEncoding(in: Canonical.encode(signed))
            #expect(Array(slice) == Canonical.encode(signed.transaction))
        }
    }

    /// The core canonicity property: a mutated encoding is either refused, or it
    /// decodes to a value whose encoding is exactly the mutated bytes. Checked on
    /// `decodeStructure` (parser and field rules alone), because `decode` adds a
    /// re-encode comparison that would make the property hold by construction.
    @Test("Mutated encodings are refused or re-encode to the same bytes", arguments: [11, 12, 13, 14] as [UInt64])
    func mutations(seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        var accepted = 0
        for _ in 0..<1_500 {
            let original: [UInt8]
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: original = Canonical.encode(Samples.transaction(&rng))
            case 1: original = Canonical.encode(Samples.signedTransaction(&rng))
            case 2: original = Canonical.encode(Samples.header(&rng))
            default: original = Canonical.encode(Samples.block(&rng))
            }
            let mutated = mutate(original, &rng)
            accepted += check(Transaction.self, mutated)
            accepted += check(SignedTransaction.self, mutated)
            accepted += check(BlockHeader.self, mutated)
            accepted += check(Block.self, mutated)
        }
        // Byte changes inside octet strings stay valid; if none ever did, the
        // mutator would be testing nothing but the first byte.
        #expect(accepted > 0)
    }

    private func check<T: CanonicalCodable & Equatable>(_ type: T.Type, _ bytes: [UInt8]) -> Int {
        guard let value = try? Canonical.decodeStructure(type, from: bytes) else { return 0 }
        #expect(Canonical.encode(value) == bytes, "\(T.self) parser accepted non-canonical bytes \(Hex.encode(bytes))")
        #expect((try? Canonical.decode(type, from: bytes)) == value)
        return 1
    }

    private func mutate(_ bytes: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var out = bytes
        let position = Int.random(in: 0..<out.count, using: &rng)
        switch Int.random(in: 0..<6, using: &rng) {
        case 0: out[position] ^= 1 << UInt8.random(in: 0...7, using: &rng)
        case 1: out[position] = UInt8.random(in: 0...255, using: &rng)
        case 2: out.insert(UInt8.random(in: 0...255, using: &rng), at: position)
        case 3: out.remove(at: position)
        case 4: out.append(contentsOf: rng.bytes(Int.random(in: 1...3, using: &rng)))
        default: out = Array(out.prefix(position))
        }
        return out
    }

    @Test("Trailing bytes are refused")
    func trailing() {
        var rng = SeededGenerator(seed: 2)
        let bytes = Canonical.encode(Samples.header(&rng)) + [0x00]
        #expect(throws: CanonicalError.self) { try Canonical.decode(BlockHeader.self, from: bytes) }
    }

    @Test("A non-minimal length is refused")
    func nonMinimalLength() throws {
        var rng = SeededGenerator(seed: 3)
        let bytes = Canonical.encode(Samples.header(&rng))
        // Re-encode the outer length with one more length byte than needed.
        let (contentStart, length) = outerLength(bytes)
        var lengthBytes = withUnsafeBytes(of: UInt32(length).bigEndian, Array.init)
        lengthBytes = Array(lengthBytes.drop(while: { $0 == 0 }))
        let longForm = [bytes[0], 0x80 | UInt8(lengthBytes.count + 1), 0x00] + lengthBytes + bytes[contentStart...]
        #expect {
            try Canonical.decodeStructure(BlockHeader.self, from: longForm)
        } throws: { error in
            guard case let .malformed(_, reason) = error as? CanonicalError else { return false }
            return !reason.contains("re-encoding")
        }
    }

    @Test("A non-minimal integer is refused")
    func nonMinimalInteger() throws {
        var rng = SeededGenerator(seed: 4)
        let tx = Samples.transaction(&rng)
        var coder = DER.Serializer()
        // The same transaction with version 1 written as 02 02 00 01.
        try coder.appendConstructedNode(identifier: .sequence) { coder in
            coder.appendPrimitiveNode(identifier: .integer) { $0.append(contentsOf: [0x00, 0x01]) }
            try coder.serialize(ASN1UTF8String(tx.chainID.value))
            try coder.serialize(ASN1OctetString(contentBytes: tx.sender.bytes[...]))
            try coder.serialize(tx.nonce)
            try coder.serialize(tx.expiryHeight.value)
            try coder.serialize(UInt64(tx.kind))
            try coder.serialize(ASN1OctetString(contentBytes: tx.payload[...]))
        }
        #expect {
            try Canonical.decodeStructure(Transaction.self, from: coder.serializedBytes)
        } throws: { error in
            guard case let .malformed(_, reason) = error as? CanonicalError else { return false }
            return reason.contains("invalidASN1IntegerEncoding")
        }
    }

    @Test("An unknown version is refused with a typed error")
    func unknownVersion() throws {
        var rng = SeededGenerator(seed: 5)
        var bytes = Canonical.encode(Samples.header(&rng))
        // Layout: 30 <length> 02 01 01 ...: the version is the first field.
        let (contentStart, _) = outerLength(bytes)
        #expect(Array(bytes[contentStart..<contentStart + 3]) == [0x02, 0x01, 0x01])
        bytes[contentStart + 2] = 2
        #expect(throws: CanonicalError.unsupportedVersion(type: "BlockHeader", found: 2, supported: [1])) {
            try Canonical.decode(BlockHeader.self, from: bytes)
        }
    }

    @Test("Oversize input is refused before parsing")
    func oversize() {
        let bytes = [UInt8](repeating: 0x30, count: BlockHeader.maxEncodedSize + 1)
        #expect(throws: CanonicalError.tooLarge(type: "BlockHeader", size: bytes.count, limit: BlockHeader.maxEncodedSize)) {
            try Canonical.decode(BlockHeader.self, from: bytes)
        }
    }

    @Test("Oversize and malformed fields are refused with the field named")
    func fieldRules() throws {
        var rng = SeededGenerator(seed: 6)
        let sender = Samples.publicKey(&rng)
        #expect(throws: CanonicalError.self) {
            try Transaction(chainID: Samples.chain, sender: sender, nonce: 0, expiryHeight: 1, kind: 1,
                            payload: [UInt8](repeating: 0, count: Transaction.maxPayloadSize + 1))
        }
        // A sender of the right length with an invalid prefix.
        let tx = try Transaction(chainID: Samples.chain, sender: sender, nonce: 0, expiryHeight: 1, kind: 1, payload: [])
        var bytes = Canonical.encode(tx)
        let prefixIndex = bytes.firstIndex(of: sender.bytes[0])!
        let senderStart = bytes.indices.first { Array(bytes[$0..<min(bytes.count, $0 + 33)]) == sender.bytes }!
        #expect(senderStart >= prefixIndex)
        bytes[senderStart] = 0x04
        #expect {
            try Canonical.decode(Transaction.self, from: bytes)
        } throws: { error in
            guard case let .invalidField(_, field, _) = error as? CanonicalError else { return false }
            return field == "sender"
        }
    }

    @Test("Chain ids follow their alphabet")
    func chainIDs() {
        #expect(ChainID("civic-devnet") != nil)
        #expect(ChainID("") == nil)
        #expect(ChainID("-lead") == nil)
        #expect(ChainID("Upper") == nil)
        #expect(ChainID("政务") == nil)
        #expect(ChainID(String(repeating: "a", count: 65)) == nil)
    }

    @Test("Signing messages are domain-separated")
    func domains() {
        let body: [UInt8] = [1, 2, 3]
        let messages = Set(SigningDomain.allCases.map { $0.message(for: body) })
        #expect(messages.count == SigningDomain.allCases.count)
    }

    /// Where the outer TLV's content starts, and its length.
    private func outerLength(_ bytes: [UInt8]) -> (start: Int, length: Int) {
        if bytes[1] < 0x80 { return (2, Int(bytes[1])) }
        let count = Int(bytes[1] & 0x7f)
        let length = bytes[2..<2 + count].reduce(0) { $0 << 8 | Int($1) }
        return (2 + count, length)
    }
}
