import Foundation
import LedgerCore
import LedgerCrypto
import LedgerStore
import LedgerTesting
import StateTree
import Testing

let treeFamily = try! ColumnFamily("state_tree")

/// The digest functions the tests run the tree with.
enum HashChoice: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case standard
    case guomi
    /// `ChosenPaths`: lets a test pick paths, to build deep and crowded trees.
    case chosenPaths

    var function: any DigestFunction {
        switch self {
        case .standard: return CryptoSuites.standard
        case .guomi: return CryptoSuites.guomi
        case .chosenPaths: return ChosenPaths()
        }
    }

    var testDescription: String { rawValue }
}

/// SHA-256, except that a 32-byte input is its own digest. Keys of 32 bytes
/// thus become their own paths, so a test can make keys that share 255 bits,
/// which real hashes give with probability 2^-255. Node inputs are 65 bytes,
/// so node hashing stays SHA-256.
struct ChosenPaths: DigestFunction {
    func digest(_ bytes: [UInt8]) -> Digest {
        bytes.count == Digest.byteCount ? Digest(bytes)! : CryptoSuites.standard.digest(bytes)
    }
}

enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case rocksDB

    var testDescription: String { rawValue }
}

/// A store of one backend, in a private temporary directory for RocksDB,
/// removed when the body returns.
func withStore(_ backend: Backend, _ body: (any KeyValueStore) throws -> Void) throws {
    switch backend {
    case .memory:
        let store = InMemoryStore(columnFamilies: [treeFamily])
        defer { store.close() }
        try body(store)
    case .rocksDB:
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("civicledger-statetree-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try RocksDBStore(path: directory.appendingPathComponent("db").path, columnFamilies: [treeFamily])
        defer { store.close() }
        try body(store)
    }
}

extension StateTree {
    /// Updates and writes the batch; returns the root `update` reported.
    @discardableResult
    func apply(_ changes: [[UInt8]: [UInt8]?], to store: any KeyValueStore) throws -> Digest {
        var batch = WriteBatch()
        let root = try update(changes, reader: store, batch: &batch)
        try store.write(batch, sync: false)
        return root
    }
}

/// Every record in the tree's column family.
func storedNodes(_ store: any KeyValueReader) throws -> [[UInt8]: [UInt8]] {
    var out: [[UInt8]: [UInt8]] = [:]
    for pair in try store.scan(treeFamily, range: .all, limit: 100_000) {
        out[pair.key] = pair.value
    }
    return out
}

/// The tree rebuilt from scratch from the whole key set, following
/// docs/state-tree.md and sharing no code with the StateTree module.
struct ReferenceTree {
    let root: [UInt8]
    /// What the column family must hold: store key to record.
    let nodes: [[UInt8]: [UInt8]]

    init(_ entries: [[UInt8]: [UInt8]], hash: some DigestFunction) {
        let leaves = entries.map { key, value in (path: hash.digest(key).bytes, valueHash: hash.digest(value).bytes) }
        var nodes: [[UInt8]: [UInt8]] = [:]
        // Returns (kind, hash) with kind 0 empty, 1 leaf, 2 internal.
        func build(_ leaves: [(path: [UInt8], valueHash: [UInt8])], depth: Int, prefix: [Int]) -> (UInt8, [UInt8]) {
            if leaves.isEmpty { return (0, [UInt8](repeating: 0, count: 32)) }
            let key = Self.storeKey(depth: depth, bits: prefix)
            if leaves.count == 1 {
                let record = [0x00] + leaves[0].path + leaves[0].valueHash
                nodes[key] = record
                return (1, hash.digest(record).bytes)
            }
            let left = build(leaves.filter { Self.bit($0.path, depth) == 0 }, depth: depth + 1, prefix: prefix + [0])
            let right = build(leaves.filter { Self.bit($0.path, depth) == 1 }, depth: depth + 1, prefix: prefix + [1])
            nodes[key] = [0x01, left.0 << 4 | right.0] + left.1 + right.1
            return (2, hash.digest([0x01] + left.1 + right.1).bytes)
        }
        root = build(leaves, depth: 0, prefix: []).1
        self.nodes = nodes
    }

    static func bit(_ path: [UInt8], _ index: Int) -> Int {
        Int(path[index / 8] >> (7 - UInt8(index % 8))) & 1
    }

    /// Depth as two big-endian bytes, then the prefix bits packed MSB first.
    static func storeKey(depth: Int, bits: [Int]) -> [UInt8] {
        var key: [UInt8] = [UInt8(depth >> 8), UInt8(depth & 0xFF)]
        key.append(contentsOf: [UInt8](repeating: 0, count: (depth + 7) / 8))
        for (index, bit) in bits.enumerated() where bit == 1 {
            key[2 + index / 8] |= 0x80 >> UInt8(index % 8)
        }
        return key
    }
}

extension SeededGenerator {
    mutating func key() -> [UInt8] { bytes(Int.random(in: 0...40, using: &self)) }
    mutating func value() -> [UInt8] { bytes(Int.random(in: 0...80, using: &self)) }
}

/// A reader that counts the gets made through it, per key.
final class CountingReader: KeyValueReader, @unchecked Sendable {
    // Only used from one test thread at a time; the lock keeps the class honest anyway.
    private let lock = NSLock()
    private let base: any KeyValueReader
    private var counts: [[UInt8]: Int] = [:]

    init(_ base: any KeyValueReader) { self.base = base }

    var reads: [[UInt8]: Int] { lock.withLock { counts } }

    func get(_ key: [UInt8], in columnFamily: ColumnFamily) throws(StoreError) -> [UInt8]? {
        lock.withLock { counts[key, default: 0] += 1 }
        return try base.get(key, in: columnFamily)
    }

    func scan(
        _ columnFamily: ColumnFamily, range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int
    ) throws(StoreError) -> [KeyValuePair] {
        try base.scan(columnFamily, range: range, limit: limit, reverse: reverse, maxBytes: maxBytes)
    }
}

extension StateProof {
    /// `verify` with the existential opened outside `#expect`, whose macro
    /// expansion cannot open `any DigestFunction` itself.
    func verifies(key: [UInt8], value: [UInt8]?, root: Digest, hash: any DigestFunction) -> Bool {
        verify(key: key, value: value, root: root, hash: hash)
    }
}
