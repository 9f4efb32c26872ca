import LedgerCore
import LedgerStore
import LedgerTesting
import StateTree
import Testing

/// Random batches of inserts, updates and deletes, checked after every batch
/// against `ReferenceTree`, which rebuilds root and records from the whole key
/// set. A failure names its seed and batch; rerun with them to reproduce.
@Suite("Model")
struct ModelTests {
    @Test(arguments: Backend.allCases, HashChoice.allCases)
    func treeMatchesReference(_ backend: Backend, _ choice: HashChoice) throws {
        // Seed 2 runs with a node cache small enough to evict all the time,
        // and throws away some updates without writing them (a block that
        // never commits): the cache must still never change a root or a node.
        for seed: UInt64 in [1, 2] {
            try withStore(backend) { store throws in
                try run(seed: seed, store: store, choice: choice, cachedNodes: seed == 2 ? 64 : 0)
            }
        }
    }

    private func run(seed: UInt64, store: any KeyValueStore, choice: HashChoice, cachedNodes: Int) throws {
        var random = SeededGenerator(seed: seed)
        let hash = choice.function
        let tree = cachedNodes > 0
            ? StateTree(columnFamily: treeFamily, hash: hash, cachedNodes: cachedNodes)
            : StateTree(columnFamily: treeFamily, hash: hash)
        let universe = Self.universe(choice, &random)
        var model: [[UInt8]: [UInt8]] = [:]

        for batchNumber in 0..<40 {
            let context = Comment(rawValue: "seed \(seed) batch \(batchNumber)")
            var changes: [[UInt8]: [UInt8]?] = [:]
            let size = Int.random(in: 0...(batchNumber % 5 == 4 ? 120 : 25), using: &random)
            for _ in 0..<size {
                let key = universe.randomElement(using: &random)!
                switch Int.random(in: 0..<10, using: &random) {
                case 0..<3: changes[key] = .some(nil)
                // Rewriting the current value must be harmless.
                case 3: changes[key] = model[key] ?? random.value()
                default: changes[key] = random.value()
                }
            }
            if cachedNodes > 0, batchNumber % 7 == 3 {
                var abandoned = WriteBatch()
                var other = changes
                other[universe.randomElement(using: &random)!] = random.value()
                _ = try tree.update(other, reader: store, batch: &abandoned)
            }
            var batch = WriteBatch()
            let root = try tree.update(changes, reader: store, batch: &batch)
            try store.write(batch, sync: false)
            for (key, value) in changes { model[key] = value }

            let reference = ReferenceTree(model, hash: hash)
            #expect(Array(root.bytes) == reference.root, context)
            #expect(try tree.root(in: store) == root, context)
            #expect(try storedNodes(store) == reference.nodes, context)

            for _ in 0..<5 {
                let key = universe.randomElement(using: &random)!
                let proof = try tree.prove(key, in: store)
                #expect(proof.verifies(key: key, value: model[key], root: root, hash: hash), context)
                #expect(!proof.verifies(key: key, value: (model[key] ?? []) + [0], root: root, hash: hash), context)
            }
        }
    }

    /// Keys the batches draw from, so that updates and deletes hit present
    /// keys. With chosen paths the keys differ only in a few bit positions,
    /// down to the last, so leaves pile up deep and move far when lifted.
    private static func universe(_ choice: HashChoice, _ random: inout SeededGenerator) -> [[UInt8]] {
        guard choice == .chosenPaths else {
            return (0..<150).map { _ in random.key() }
        }
        let base = random.bytes(32)
        let positions = [0, 1, 9, 100, 200, 253, 254, 255]
        return (0..<150).map { _ in
            var key = base
            for position in positions where Bool.random(using: &random) {
                key[position / 8] ^= 0x80 >> UInt8(position % 8)
            }
            return key
        }
    }
}
