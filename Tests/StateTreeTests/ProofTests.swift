@testable import LedgerCore
import LedgerCrypto
import LedgerStore
import LedgerTesting
import StateTree
import Testing

@Suite("Proofs")
struct ProofTests {
    /// A tree of `count` random keys and its contents.
    struct Fixture {
        let store: InMemoryStore
        let tree: StateTree
        let entries: [[UInt8]: [UInt8]]
        let root: Digest
        let hash: any DigestFunction

        init(_ choice: HashChoice, count: Int, seed: UInt64) throws {
            var random = SeededGenerator(seed: seed)
            hash = choice.function
            store = InMemoryStore(columnFamilies: [treeFamily])
            tree = StateTree(columnFamily: treeFamily, hash: hash)
            entries = Dictionary(
                (0..<count).map { _ in (choice == .chosenPaths ? random.bytes(32) : random.key(), random.value()) },
                uniquingKeysWith: { $1 })
            root = try tree.apply(entries.mapValues { $0 }, to: store)
        }

        func proof(_ key: [UInt8]) throws -> StateProof { try tree.prove(key, in: store) }
    }

    @Test("Inclusion and non-inclusion proofs verify, and only for what they prove", arguments: HashChoice.allCases)
    func proofsVerify(_ choice: HashChoice) throws {
        let fixture = try Fixture(choice, count: 300, seed: 21)
        var random = SeededGenerator(seed: 22)
        let present = Array(fixture.entries.keys).shuffled(using: &random).prefix(60)
        let absent = (0..<60).map { _ in choice == .chosenPaths ? random.bytes(32) : random.key() + [0xAB] }
            .filter { fixture.entries[$0] == nil }
        var sawNonInclusionLeaf = false, sawNonInclusionEmpty = false
        for key in present {
            let value = fixture.entries[key]!
            let proof = try fixture.proof(key)
            #expect(proof.leaf != nil)
            #expect(proof.verifies(key: key, value: value, root: fixture.root, hash: fixture.hash))
            #expect(!proof.verifies(key: key, value: nil, root: fixture.root, hash: fixture.hash))
            #expect(!proof.verifies(key: key, value: value + [0], root: fixture.root, hash: fixture.hash))
            #expect(try Canonical.decode(StateProof.self, from: Canonical.encode(proof)) == proof)
        }
        for key in absent {
            let proof = try fixture.proof(key)
            if proof.leaf == nil { sawNonInclusionEmpty = true } else { sawNonInclusionLeaf = true }
            #expect(proof.verifies(key: key, value: nil, root: fixture.root, hash: fixture.hash))
            #expect(!proof.verifies(key: key, value: [], root: fixture.root, hash: fixture.hash))
            #expect(try Canonical.decode(StateProof.self, from: Canonical.encode(proof)) == proof)
        }
        #expect(sawNonInclusionLeaf && sawNonInclusionEmpty, "both kinds of non-inclusion were exercised")
    }

    @Test("A proof for one key proves nothing about another", arguments: HashChoice.allCases)
    func proofIsBoundToItsKey(_ choice: HashChoice) throws {
        let fixture = try Fixture(choice, count: 200, seed: 31)
        var random = SeededGenerator(seed: 32)
        let keys = Array(fixture.entries.keys).shuffled(using: &random)
        let absent = (0..<30).map { _ in random.bytes(32) + [0x01] }
        for (a, b) in zip(keys.prefix(40), keys.dropFirst(40).prefix(40)) {
            let proofA = try fixture.proof(a)
            #expect(!proofA.verifies(key: b, value: fixture.entries[b], root: fixture.root, hash: fixture.hash))
            #expect(!proofA.verifies(key: b, value: fixture.entries[a], root: fixture.root, hash: fixture.hash))
            #expect(!proofA.verifies(key: b, value: nil, root: fixture.root, hash: fixture.hash))
        }
        var sharedLeaf = 0
        for a in absent {
            let proofA = try fixture.proof(a)
            for b in keys {
                // A's path may end at B's leaf: then the proof of A's absence
                // is, byte for byte, the proof of B's presence, and must
                // verify as such. It proves nothing else about B.
                if proofA.verifies(key: b, value: fixture.entries[b], root: fixture.root, hash: fixture.hash) {
                    #expect(proofA == (try fixture.proof(b)))
                    sharedLeaf += 1
                }
                #expect(!proofA.verifies(key: b, value: nil, root: fixture.root, hash: fixture.hash))
            }
        }
        #expect(sharedLeaf <= absent.count)
    }

    /// Every bit of every byte of the encoding, the value and the root.
    @Test("Flipping any single bit of the value, the proof's encoding or the root makes verification fail",
          arguments: HashChoice.allCases)
    func singleBitFlips(_ choice: HashChoice) throws {
        let fixture = try Fixture(choice, count: 120, seed: 41)
        var random = SeededGenerator(seed: 42)
        var cases: [(key: [UInt8], value: [UInt8]?)] = Array(fixture.entries.keys.shuffled(using: &random).prefix(4)).map { ($0, fixture.entries[$0]) }
        cases += (0..<4).map { _ in (choice == .chosenPaths ? random.bytes(32) : random.key() + [0x77], nil) }
        for (key, value) in cases {
            let proof = try fixture.proof(key)
            #expect(proof.verifies(key: key, value: value, root: fixture.root, hash: fixture.hash))
            let encoding = Canonical.encode(proof)
            for index in encoding.indices {
                for bit in 0..<8 {
                    var mutated = encoding
                    mutated[index] ^= 1 << UInt8(bit)
                    guard let decoded = try? Canonical.decode(StateProof.self, from: mutated) else { continue }
                    #expect(!decoded.verifies(key: key, value: value, root: fixture.root, hash: fixture.hash),
                            "byte \(index) bit \(bit) of \(Hex.encode(encoding))")
                }
            }
            for index in 0..<(Digest.byteCount * 8) {
                var root = fixture.root.bytes
                root[index / 8] ^= 1 << UInt8(index % 8)
                #expect(!proof.verifies(key: key, value: value, root: Digest(root)!, hash: fixture.hash))
            }
            if let value {
                for index in 0..<(value.count * 8) {
                    var changed = value
                    changed[index / 8] ^= 1 << UInt8(index % 8)
                    #expect(!proof.verifies(key: key, value: changed, root: fixture.root, hash: fixture.hash))
                }
            }
        }
    }

    @Test("A proof of 256 siblings and a leaf encodes to exactly the cap; 257 siblings are refused")
    func sizeCap() throws {
        var random = SeededGenerator(seed: 51)
        let leaf = StateLeaf(keyHash: Digest(random.bytes(32))!, valueHash: Digest(random.bytes(32))!)
        let siblings = (0..<256).map { _ in Digest(random.bytes(32))! }
        let largest = try StateProof(leaf: leaf, siblings: siblings)
        let encoding = Canonical.encode(largest)
        #expect(encoding.count == StateProof.maxEncodedSize)
        #expect(try Canonical.decode(StateProof.self, from: encoding) == largest)
        #expect(throws: CanonicalError.self) { try StateProof(leaf: leaf, siblings: siblings + [siblings[0]]) }
        // The node cap is tight: the largest proof has exactly that many DER nodes.
        #expect(!DERNodeCount.exceeds(StateProof.maxNodeCount, in: encoding))
        #expect(DERNodeCount.exceeds(StateProof.maxNodeCount - 1, in: encoding))
        let tooLong = [UInt8](repeating: 0x30, count: StateProof.maxEncodedSize + 1)
        #expect(throws: CanonicalError.tooLarge(type: "StateProof", size: tooLong.count, limit: StateProof.maxEncodedSize)) {
            try Canonical.decode(StateProof.self, from: tooLong)
        }
    }

    @Test("Hand-made non-canonical encodings are refused")
    func nonCanonical() throws {
        let sibling = [UInt8](repeating: 0x11, count: 32)
        func octets(_ bytes: [UInt8]) -> [UInt8] { [0x04, UInt8(bytes.count)] + bytes }
        func proof(version: UInt8 = 1, depth: UInt8, present: [UInt8], siblings: [[UInt8]]) -> [UInt8] {
            let list = siblings.flatMap(octets)
            let body = [0x02, 0x01, version, 0x02, 0x01, depth] + octets(present) + [0x30, UInt8(list.count)] + list
            return [0x30, UInt8(body.count)] + body
        }
        // The well-formed baseline decodes.
        #expect(throws: Never.self) { try Canonical.decode(StateProof.self, from: proof(depth: 1, present: [0x80], siblings: [sibling])) }
        let refused: [(String, [UInt8])] = [
            ("unknown version", proof(version: 2, depth: 1, present: [0x80], siblings: [sibling])),
            ("listed placeholder", proof(depth: 1, present: [0x80], siblings: [[UInt8](repeating: 0, count: 32)])),
            ("bit past depth", proof(depth: 1, present: [0xC0], siblings: [sibling, sibling])),
            ("bitmap too long", proof(depth: 1, present: [0x80, 0x00], siblings: [sibling])),
            ("bitmap too short", proof(depth: 9, present: [0x80], siblings: [sibling])),
            ("fewer siblings than bits", proof(depth: 2, present: [0xC0], siblings: [sibling])),
            ("more siblings than bits", proof(depth: 2, present: [0x80], siblings: [sibling, sibling])),
            ("short sibling", proof(depth: 1, present: [0x80], siblings: [Array(sibling.prefix(31))])),
            ("trailing byte", proof(depth: 1, present: [0x80], siblings: [sibling]) + [0x00]),
        ]
        for (name, bytes) in refused {
            #expect(throws: CanonicalError.self, "\(name)") { try Canonical.decode(StateProof.self, from: bytes) }
            #expect(throws: CanonicalError.self, "\(name), without the re-encode check") {
                try Canonical.decodeStructure(StateProof.self, from: bytes)
            }
        }
    }

    /// The parser and field rules alone (no re-encode safety net) must refuse
    /// every mutation that would give a second encoding of a proof.
    @Test("Mutated encodings are refused or re-encode to the same bytes", arguments: [61, 62] as [UInt64])
    func mutations(seed: UInt64) throws {
        let fixture = try Fixture(.standard, count: 100, seed: seed)
        var random = SeededGenerator(seed: seed)
        let keys = Array(fixture.entries.keys) + (0..<20).map { _ in random.key() + [0x42] }
        for _ in 0..<3_000 {
            var bytes = Canonical.encode(try fixture.proof(keys.randomElement(using: &random)!))
            switch Int.random(in: 0..<5, using: &random) {
            case 0: bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            case 1: bytes.insert(UInt8.random(in: 0...255, using: &random), at: Int.random(in: 0...bytes.count, using: &random))
            case 2: bytes.remove(at: Int.random(in: 0..<bytes.count, using: &random))
            case 3: bytes.removeLast(Int.random(in: 1...bytes.count, using: &random))
            default: bytes += random.bytes(Int.random(in: 1...4, using: &random))
            }
            if let decoded = try? Canonical.decodeStructure(StateProof.self, from: bytes) {
                #expect(Canonical.encode(decoded) == bytes, "\(Hex.encode(bytes))")
            }
        }
    }

    @Test("Decoding arbitrary bytes never traps")
    func garbage() {
        var random = SeededGenerator(seed: 71)
        for round in 0..<20_000 {
            let length = round % 10 == 0 ? Int.random(in: 0...9_000, using: &random) : Int.random(in: 0...200, using: &random)
            var bytes = random.bytes(length)
            // Start most inputs like a proof so that parsing gets past the first byte.
            if round % 2 == 0, bytes.count > 4 { bytes[0] = 0x30 }
            if let decoded = try? Canonical.decode(StateProof.self, from: bytes) {
                #expect(Canonical.encode(decoded) == bytes)
            }
        }
    }

    @Test("Empty tree: the proof is empty and verifies absence only")
    func emptyTree() throws {
        let store = InMemoryStore(columnFamilies: [treeFamily])
        let tree = StateTree(columnFamily: treeFamily, hash: CryptoSuites.standard)
        let proof = try tree.prove([1, 2, 3], in: store)
        #expect(proof.leaf == nil && proof.siblings.isEmpty)
        #expect(proof.verifies(key: [1, 2, 3], value: nil, root: StateTree.emptyRoot, hash: CryptoSuites.standard))
        #expect(!proof.verifies(key: [1, 2, 3], value: [], root: StateTree.emptyRoot, hash: CryptoSuites.standard))
        #expect(!proof.verifies(key: [1, 2, 3], value: nil, root: Digest(CryptoSuites.standard.digest([]).bytes)!, hash: CryptoSuites.standard))
    }

    @Test("Proofs verify only under the suite that made them")
    func suiteBound() throws {
        let fixture = try Fixture(.standard, count: 50, seed: 81)
        for (key, value) in fixture.entries.prefix(10) {
            let proof = try fixture.proof(key)
            #expect(!proof.verifies(key: key, value: value, root: fixture.root, hash: CryptoSuites.guomi))
        }
    }
}
