import LedgerCore
import LedgerCrypto
import LedgerStore
import LedgerTesting
import StateTree
import Testing

/// Small trees whose roots and records are known exactly. The hex vectors
/// come from the independent Python reference in docs/state-tree.md.
@Suite("Known cases")
struct KnownCaseTests {
    static let abc: [[UInt8]: [UInt8]?] = [Array("a".utf8): Array("1".utf8), Array("b".utf8): Array("2".utf8), Array("c".utf8): Array("3".utf8)]

    @Test("The empty tree's root is the placeholder, 32 zero bytes", arguments: Backend.allCases)
    func emptyRoot(_ backend: Backend) throws {
        try withStore(backend) { store throws in
            let tree = StateTree(columnFamily: treeFamily, hash: CryptoSuites.standard)
            #expect(try tree.root(in: store) == Digest.zero)
            #expect(StateTree.emptyRoot == Digest(hex: String(repeating: "00", count: 32)))
            var batch = WriteBatch()
            #expect(try tree.update([:], reader: store, batch: &batch) == Digest.zero)
            #expect(try tree.update([Array("absent".utf8): nil], reader: store, batch: &batch) == Digest.zero)
            #expect(batch.isEmpty)
        }
    }

    @Test("Known-answer roots for both suites")
    func knownAnswers() throws {
        let vectors: [(HashChoice, one: String, three: String)] = [
            (.standard, "565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3",
             "8e2a164a410203f51300d7c6645b7a37f549768457be109acc126c63573a9e0a"),
            (.guomi, "11d7c415611ca503345281bf03a60c8209a2df303c0d670a2b5d571f67dd5ae2",
             "1ffcb8e886a820fb323bfed9ee6d9d92d717a648c091383f509e42449b82b366"),
        ]
        for (choice, one, three) in vectors {
            let store = InMemoryStore(columnFamilies: [treeFamily])
            let tree = StateTree(columnFamily: treeFamily, hash: choice.function)
            #expect(try tree.apply([Array("a".utf8): Array("1".utf8)], to: store).hex == one)
            #expect(try tree.apply(Self.abc, to: store).hex == three)
            #expect(try tree.root(in: store).hex == three)
        }
    }

    @Test("Known-answer proof encodings for both suites")
    func knownProofs() throws {
        let vectors: [(HashChoice, key: String, encoding: String)] = [
            (.standard, "b", "308195020101a04404203e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d0420d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab3502010404019030440420565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d304206dc4a0fe4285844b9c64ba063f6a8b808a07eb2e8c124cda2babd55a2a7f3d24"),
            (.standard, "d", "304f0201010201030401a030440420565388d4bc00257133f799d9366ac97f6e949c18acc53d17457f8859ba0f08d3042044ebb3d0f7604913f94789f54965210118cb621490e4279a2f512ea8ecf280a4"),
            (.guomi, "b", "308195020101a044042018ec3b715647a14c4b5d7fe870f6ac237c61bbcf8d56062a74f0824b5218a0420420a0dc2d74b9b0e3c87e076003dbfe472a424cb3032463cb339e351460765a822e0201020401c030440420a09685105f271da61081988d2ac3329bb691cea349f28e82d32c6744ff5e2940042011d7c415611ca503345281bf03a60c8209a2df303c0d670a2b5d571f67dd5ae2"),
            (.guomi, "d", "3073020101a0440420839ebc85fbb93e5fe15db083fd516ea9b359c4287c44a598e04a1ba999b26620042055e3192d096e62d4f9cd00e734a949de2b8e55b13d9b85b1d2d2999c9db2e72c0201010401803022042006ad4efe6b87dfd7a763dfdc30b6901d52bcef97b4b93f94643a57bb1f847352"),
        ]
        for (choice, key, encoding) in vectors {
            let store = InMemoryStore(columnFamilies: [treeFamily])
            let tree = StateTree(columnFamily: treeFamily, hash: choice.function)
            let root = try tree.apply(Self.abc, to: store)
            let proof = try tree.prove(Array(key.utf8), in: store)
            #expect(Hex.encode(Canonical.encode(proof)) == encoding, "\(choice) \(key)")
            let value: [UInt8]? = key == "b" ? Array("2".utf8) : nil
            #expect(proof.verifies(key: Array(key.utf8), value: value, root: root, hash: choice.function))
        }
    }

    @Test("One key: the root is its leaf hash, stored at the root position", arguments: Backend.allCases)
    func oneKey(_ backend: Backend) throws {
        try withStore(backend) { store throws in
            let suite = CryptoSuites.standard
            let tree = StateTree(columnFamily: treeFamily, hash: suite)
            let key = Array("licence/42".utf8), value = Array("active".utf8)
            let root = try tree.apply([key: value], to: store)
            let expected = suite.digest([0x00] + suite.digest(key).bytes + suite.digest(value).bytes)
            #expect(root == expected)
            #expect(try storedNodes(store) == [[0, 0]: [0x00] + suite.digest(key).bytes + suite.digest(value).bytes])
        }
    }

    @Test("Two keys sharing 255 bits: a chain of 255 internal nodes", arguments: Backend.allCases)
    func longSharedPrefix(_ backend: Backend) throws {
        try withStore(backend) { store throws in
            let hash = ChosenPaths()
            var random = SeededGenerator(seed: 7)
            let first = random.bytes(32)
            var second = first
            second[31] ^= 0x01
            let tree = StateTree(columnFamily: treeFamily, hash: hash)
            let values = [random.bytes(5), random.bytes(9)]
            let root = try tree.apply([first: values[0], second: values[1]], to: store)

            // By hand: the two leaves meet at depth 255, then placeholders all the way up.
            let leaves = [first, second].enumerated().map { index, key in
                hash.digest([0x00] + key + hash.digest(values[index]).bytes)
            }
            let ordered = first[31] & 1 == 0 ? leaves : leaves.reversed()
            var current = hash.digest([0x01] + ordered[0].bytes + ordered[1].bytes)
            for depth in stride(from: 254, through: 0, by: -1) {
                let onRight = Int(first[depth / 8] >> (7 - UInt8(depth % 8))) & 1 == 1
                current = hash.digest([0x01] + (onRight ? Digest.zero.bytes + current.bytes : current.bytes + Digest.zero.bytes))
            }
            #expect(root == current)
            #expect(try storedNodes(store).count == 256 + 2)
            #expect(try tree.root(in: store) == root)

            let proof = try tree.prove(first, in: store)
            #expect(proof.siblings.count == 256)
            #expect(proof.verifies(key: first, value: values[0], root: root, hash: hash))
            #expect(try Canonical.decode(StateProof.self, from: Canonical.encode(proof)) == proof)

            // Deleting one lifts the other back to the root.
            let lifted = try tree.apply([second: nil], to: store)
            #expect(lifted == leaves[0])
            #expect(try storedNodes(store) == [[0, 0]: [0x00] + first + hash.digest(values[0]).bytes])
        }
    }

    @Test("Deleting every key gives back the empty root and an empty column family", arguments: Backend.allCases, [1, 3, 17])
    func deleteToEmpty(_ backend: Backend, batches: Int) throws {
        try withStore(backend) { store throws in
            var random = SeededGenerator(seed: UInt64(batches))
            let tree = StateTree(columnFamily: treeFamily, hash: CryptoSuites.standard)
            let keys = (0..<200).map { _ in random.key() }
            try tree.apply(Dictionary(keys.map { ($0, Optional(random.value())) }, uniquingKeysWith: { $1 }), to: store)
            #expect(try tree.root(in: store) != Digest.zero)
            for part in 0..<batches {
                let slice = keys.enumerated().filter { $0.offset % batches == part }.map(\.element)
                try tree.apply(Dictionary(slice.map { ($0, nil) }, uniquingKeysWith: { $1 }), to: store)
            }
            #expect(try tree.root(in: store) == Digest.zero)
            #expect(try storedNodes(store).isEmpty)
        }
    }

    @Test("The same final set gives the same root and records, whatever the order and batching", arguments: HashChoice.allCases)
    func orderIndependence(_ choice: HashChoice) throws {
        var random = SeededGenerator(seed: 99)
        let keys = (0..<150).map { _ in choice == .chosenPaths ? random.bytes(32) : random.key() }
        let final = Dictionary(keys.map { ($0, random.value()) }, uniquingKeysWith: { $1 })
        let tree = StateTree(columnFamily: treeFamily, hash: choice.function)

        let oneBatch = InMemoryStore(columnFamilies: [treeFamily])
        let expectedRoot = try tree.apply(final.mapValues { $0 }, to: oneBatch)

        // One key at a time, shuffled, with extra keys added and removed on the way.
        let oneByOne = InMemoryStore(columnFamilies: [treeFamily])
        let extras = (0..<40).map { _ in random.key() + [0xEE] }.filter { final[$0] == nil }
        for extra in extras { try tree.apply([extra: random.value()], to: oneByOne) }
        for key in final.keys.shuffled(using: &random) { try tree.apply([key: random.value()], to: oneByOne) }
        for key in final.keys.shuffled(using: &random) { try tree.apply([key: final[key]!], to: oneByOne) }
        for extra in extras.shuffled(using: &random) { try tree.apply([extra: nil], to: oneByOne) }

        // Uneven batches that mix inserts, deletes of absent keys and final values.
        let mixed = InMemoryStore(columnFamilies: [treeFamily])
        var pending = Array(final.keys).shuffled(using: &random)
        while !pending.isEmpty {
            let count = min(pending.count, Int.random(in: 1...30, using: &random))
            var changes: [[UInt8]: [UInt8]?] = [:]
            for key in pending.prefix(count) { changes[key] = final[key]! }
            changes[random.key() + [0xFF, 0xFE]] = .some(nil)
            try tree.apply(changes, to: mixed)
            pending.removeFirst(count)
        }

        for store in [oneByOne, mixed] {
            #expect(try tree.root(in: store) == expectedRoot)
            #expect(try storedNodes(store) == storedNodes(oneBatch))
        }
    }

    @Test("The batch holds exactly the tree a fresh reader then sees", arguments: Backend.allCases)
    func batchIsTheTree(_ backend: Backend) throws {
        try withStore(backend) { store throws in
            var random = SeededGenerator(seed: 5)
            let tree = StateTree(columnFamily: treeFamily, hash: CryptoSuites.guomi)
            var model: [[UInt8]: [UInt8]] = [:]
            for _ in 0..<10 {
                var changes: [[UInt8]: [UInt8]?] = [:]
                for _ in 0..<50 {
                    let key = model.keys.randomElement(using: &random).flatMap { Bool.random(using: &random) ? $0 : nil } ?? random.key()
                    let value: [UInt8]? = Int.random(in: 0..<4, using: &random) == 0 ? nil : random.value()
                    changes[key] = value
                }
                var batch = WriteBatch()
                // The caller's own writes stay in front, untouched.
                batch.put([1, 2, 3], [4], in: .default)
                let root = try tree.update(changes, reader: store, batch: &batch)
                #expect(batch.operations.first == .put(key: [1, 2, 3], value: [4], columnFamily: .default))
                let treeKeys = batch.operations.compactMap { operation -> [UInt8]? in
                    switch operation {
                    case let .put(key, _, family), let .delete(key, family): return family == treeFamily ? key : nil
                    }
                }
                #expect(Set(treeKeys).count == treeKeys.count, "no node key is written twice in one update")
                try store.write(batch, sync: false)
                for (key, value) in changes { model[key] = value }
                let reopened = try store.snapshot()
                defer { reopened.close() }
                #expect(try tree.root(in: reopened) == root)
                #expect(Array(root.bytes) == ReferenceTree(model, hash: CryptoSuites.guomi).root)
            }
        }
    }

    @Test("Writing values a key already has writes nothing")
    func noOpUpdates() throws {
        let store = InMemoryStore(columnFamilies: [treeFamily])
        let tree = StateTree(columnFamily: treeFamily, hash: CryptoSuites.standard)
        var random = SeededGenerator(seed: 8)
        let entries = Dictionary((0..<100).map { _ in (random.key(), random.value()) }, uniquingKeysWith: { $1 })
        let root = try tree.apply(entries.mapValues { $0 }, to: store)
        var batch = WriteBatch()
        var same = entries.mapValues { Optional($0) }
        same[Array("never-written".utf8)] = .some(nil)
        #expect(try tree.update(same, reader: store, batch: &batch) == root)
        #expect(batch.isEmpty)
    }

    @Test("An update reads each node at most once")
    func readsEachNodeOnce() throws {
        let store = InMemoryStore(columnFamilies: [treeFamily])
        let tree = StateTree(columnFamily: treeFamily, hash: CryptoSuites.standard)
        var random = SeededGenerator(seed: 11)
        var keys = (0..<2_000).map { _ in random.key() }
        try tree.apply(Dictionary(keys.map { ($0, Optional(random.value())) }, uniquingKeysWith: { $1 }), to: store)
        keys.shuffle(using: &random)
        var changes: [[UInt8]: [UInt8]?] = [:]
        for key in keys.prefix(300) { changes[key] = Bool.random(using: &random) ? random.value() : nil }
        for _ in 0..<200 { changes[random.key() + [0x01]] = random.value() }
        let counting = CountingReader(store)
        var batch = WriteBatch()
        _ = try tree.update(changes, reader: counting, batch: &batch)
        #expect(counting.reads.values.allSatisfy { $0 == 1 })
        #expect(counting.reads.count <= batch.count + 2 * changes.count, "reads stay near the dirty nodes")
    }
}
