import LedgerCore
import LedgerCrypto
import LedgerStore
import LedgerTesting
import StateTree
import Testing

/// Stored nodes are read back defensively: damage is a typed error, never a
/// trap, and a failed update leaves the caller's batch as it was.
@Suite("Corrupt nodes")
struct CorruptNodeTests {
    let tree = StateTree(columnFamily: treeFamily, hash: CryptoSuites.standard)

    private func populated(_ count: Int, seed: UInt64) throws -> (InMemoryStore, [[UInt8]: [UInt8]]) {
        var random = SeededGenerator(seed: seed)
        let store = InMemoryStore(columnFamilies: [treeFamily])
        let entries = Dictionary((0..<count).map { _ in (random.key(), random.value()) }, uniquingKeysWith: { $1 })
        try tree.apply(entries.mapValues { $0 }, to: store)
        return (store, entries)
    }

    private func overwrite(_ store: InMemoryStore, _ key: [UInt8], with record: [UInt8]?) throws {
        var batch = WriteBatch()
        if let record { batch.put(key, record, in: treeFamily) } else { batch.delete(key, in: treeFamily) }
        try store.write(batch, sync: false)
    }

    private func expectCorrupt(_ body: () throws -> Void, _ comment: Comment) {
        do {
            try body()
            Issue.record("expected a corrupt-node error: \(comment)")
        } catch let error as StateTreeError {
            guard case .corrupt = error else {
                Issue.record("expected .corrupt, got \(error): \(comment)")
                return
            }
        } catch {
            Issue.record("expected a StateTreeError, got \(error): \(comment)")
        }
    }

    @Test("Malformed root records are refused by root, update and prove")
    func malformedRoot() throws {
        let leaf = [0x00] + [UInt8](repeating: 7, count: 64)
        let internalRecord = [0x01, 0x22] + [UInt8](repeating: 7, count: 64)
        let records: [(String, [UInt8])] = [
            ("empty", []),
            ("unknown tag", [0x02] + leaf.dropFirst()),
            ("short leaf", Array(leaf.dropLast())),
            ("long internal", internalRecord + [0]),
            ("kind 3", [0x01, 0x32] + [UInt8](repeating: 7, count: 64)),
            ("one leaf below", [0x01, 0x10] + [UInt8](repeating: 7, count: 32) + [UInt8](repeating: 0, count: 32)),
            ("nothing below", [0x01, 0x00] + [UInt8](repeating: 0, count: 64)),
            ("empty child with a hash", [0x01, 0x20] + [UInt8](repeating: 7, count: 64)),
        ]
        for (name, record) in records {
            let store = InMemoryStore(columnFamilies: [treeFamily])
            try overwrite(store, [0, 0], with: record)
            expectCorrupt({ _ = try tree.root(in: store) }, "root: \(name)")
            expectCorrupt({ _ = try tree.prove([1], in: store) }, "prove: \(name)")
            var batch = WriteBatch()
            batch.put([9], [9], in: .default)
            expectCorrupt({ _ = try tree.update([[1]: [2]], reader: store, batch: &batch) }, "update: \(name)")
            #expect(batch.count == 1, "a failed update adds nothing to the batch")
        }
    }

    @Test("A leaf off its path, a missing child and a child of the wrong kind are corrupt")
    func structuralDamage() throws {
        let (store, entries) = try populated(64, seed: 3)
        let nodes = try storedNodes(store)
        let leaves = nodes.filter { $0.value.first == 0x00 }
        let internals = nodes.filter { $0.value.first == 0x01 && $0.key != [0, 0] }

        // A leaf moved to a sibling position.
        let (leafKey, leafRecord) = leaves.first!
        try overwrite(store, leafKey, with: Array(leafRecord.prefix(1)) + [UInt8](repeating: 0x5A, count: 32) + leafRecord.suffix(32))
        let key = entries.keys.first { CryptoSuites.standard.digest($0).bytes == Array(leafRecord[1...32]) }!
        expectCorrupt({ _ = try tree.prove(key, in: store) }, "leaf off its path")
        try overwrite(store, leafKey, with: leafRecord)

        // A missing internal node.
        let (internalKey, internalRecord) = internals.first!
        try overwrite(store, internalKey, with: nil)
        var batch = WriteBatch()
        let below = entries.keys.filter { key in
            let path = CryptoSuites.standard.digest(key).bytes
            let depth = Int(internalKey[0]) << 8 | Int(internalKey[1])
            return ReferenceTree.storeKey(depth: depth, bits: (0..<depth).map { ReferenceTree.bit(path, $0) }) == internalKey
        }
        expectCorrupt({ _ = try tree.update([below[0]: nil], reader: store, batch: &batch) }, "missing child")
        expectCorrupt({ _ = try tree.prove(below[0], in: store) }, "missing child")

        // A leaf where the parent records an internal node.
        try overwrite(store, internalKey, with: [0x00] + CryptoSuites.standard.digest(below[0]).bytes + [UInt8](repeating: 1, count: 32))
        expectCorrupt({ _ = try tree.prove(below[0], in: store) }, "wrong kind")
        try overwrite(store, internalKey, with: internalRecord)
        #expect(throws: Never.self) { _ = try tree.prove(below[0], in: store) }
    }

    @Test("Random damage to random nodes ends in a result or a typed error")
    func randomDamage() throws {
        var random = SeededGenerator(seed: 17)
        let (pristine, entries) = try populated(200, seed: 4)
        let keys = Array(entries.keys)
        for round in 0..<400 {
            let store = InMemoryStore(columnFamilies: [treeFamily])
            var copy = WriteBatch()
            for (key, value) in try storedNodes(pristine) { copy.put(key, value, in: treeFamily) }
            try store.write(copy, sync: false)
            let victims = Array(try storedNodes(store).keys)
            for _ in 0..<Int.random(in: 1...3, using: &random) {
                let victim = victims.randomElement(using: &random)!
                // An earlier pass of this round may have deleted it.
                guard var record = try store.get(victim, in: treeFamily) else { continue }
                switch Int.random(in: 0..<4, using: &random) {
                case 0: record[Int.random(in: 0..<record.count, using: &random)] ^= 1 << UInt8.random(in: 0...7, using: &random)
                case 1: record = random.bytes(Int.random(in: 0...70, using: &random))
                case 2: record = [0x01, UInt8.random(in: 0...255, using: &random)] + random.bytes(64)
                default: record = [0x00] + random.bytes(64)
                }
                try overwrite(store, victim, with: Bool.random(using: &random) ? record : nil)
            }
            var changes: [[UInt8]: [UInt8]?] = [:]
            for _ in 0..<20 {
                changes[Bool.random(using: &random) ? keys.randomElement(using: &random)! : random.key()] =
                    Bool.random(using: &random) ? random.value() : nil
            }
            var batch = WriteBatch()
            do {
                _ = try tree.root(in: store)
                _ = try tree.update(changes, reader: store, batch: &batch)
                for key in keys.prefix(20) { _ = try tree.prove(key, in: store) }
            } catch {
                // Reaching here without a trap is the point; the error is typed.
                _ = error.description
            }
            _ = round
        }
    }

    @Test("Store failures surface as .store")
    func storeFailure() throws {
        let store = InMemoryStore(columnFamilies: [treeFamily])
        store.close()
        #expect(throws: StateTreeError.store(.closed)) { _ = try tree.root(in: store) }
        #expect(throws: StateTreeError.store(.closed)) { _ = try tree.prove([1], in: store) }
        var batch = WriteBatch()
        #expect(throws: StateTreeError.store(.closed)) { _ = try tree.update([[1]: [1]], reader: store, batch: &batch) }
        let undeclared = StateTree(columnFamily: try ColumnFamily("not_declared"), hash: CryptoSuites.standard)
        #expect(throws: StateTreeError.store(.unknownColumnFamily("not_declared"))) {
            _ = try undeclared.root(in: InMemoryStore())
        }
    }
}
