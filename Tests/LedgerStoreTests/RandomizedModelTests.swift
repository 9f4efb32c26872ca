import Testing
@testable import LedgerStore
import LedgerTesting

/// Thousands of random operations, checked step by step against a plain
/// dictionary model. A failure names its seed; rerun with it to reproduce.
@Suite("Randomized model")
struct RandomizedModelTests {
    typealias Model = [ColumnFamily: [[UInt8]: [UInt8]]]

    static let seeds: [UInt64] = [1, 0xC1_71C, 0xDEAD_BEEF]

    @Test(arguments: Backend.allCases, seeds)
    func storeMatchesModel(_ backend: Backend, seed: UInt64) throws {
        try withFixture(backend) { fixture in
            let families = [ColumnFamily.default, try family("alt")]
            var store = try fixture.open(families)
            var random = SeededGenerator(seed: seed)
            var model: Model = [families[0]: [:], families[1]: [:]]
            var snapshots: [(snapshot: any KeyValueSnapshot, model: Model)] = []

            for step in 0..<3_000 {
                let context = Comment(rawValue: "backend \(backend) seed \(seed) step \(step)")
                let family = families[Int.random(in: 0..<families.count, using: &random)]
                switch Int.random(in: 0..<100, using: &random) {
                case 0..<30:
                    let key = Self.randomKey(&random)
                    let value = Self.randomValue(&random)
                    try store.put(key, value, in: family)
                    model[family, default: [:]][key] = value
                case 30..<40:
                    let key = Self.randomKey(&random)
                    try store.delete(key, in: family)
                    model[family, default: [:]][key] = nil
                case 40..<50:
                    var batch = WriteBatch()
                    for _ in 0..<Int.random(in: 0...8, using: &random) {
                        let target = families[Int.random(in: 0..<families.count, using: &random)]
                        let key = Self.randomKey(&random)
                        if Bool.random(using: &random) {
                            let value = Self.randomValue(&random)
                            batch.put(key, value, in: target)
                            model[target, default: [:]][key] = value
                        } else {
                            batch.delete(key, in: target)
                            model[target, default: [:]][key] = nil
                        }
                    }
                    try store.write(batch, sync: false)
                case 50..<65:
                    let key = Self.randomKey(&random)
                    #expect(try store.get(key, in: family) == model[family]?[key], context)
                case 65..<85:
                    let (range, limit, reverse, maxBytes) = Self.randomScan(&random)
                    let expected = Self.scan(
                        model[family] ?? [:], range: range, limit: limit, reverse: reverse, maxBytes: maxBytes)
                    let actual = try store.scan(family, range: range, limit: limit, reverse: reverse, maxBytes: maxBytes)
                    #expect(actual == expected, "\(context) range \(range) limit \(limit) reverse \(reverse) maxBytes \(maxBytes)")
                case 85..<89:
                    if snapshots.count < 4 {
                        snapshots.append((try store.snapshot(), model))
                    }
                case 89..<97:
                    guard !snapshots.isEmpty else { break }
                    let (snapshot, frozen) = snapshots[Int.random(in: 0..<snapshots.count, using: &random)]
                    let key = Self.randomKey(&random)
                    #expect(try snapshot.get(key, in: family) == frozen[family]?[key], context)
                    let (range, limit, reverse, maxBytes) = Self.randomScan(&random)
                    let expected = Self.scan(
                        frozen[family] ?? [:], range: range, limit: limit, reverse: reverse, maxBytes: maxBytes)
                    let actual = try snapshot.scan(family, range: range, limit: limit, reverse: reverse, maxBytes: maxBytes)
                    #expect(actual == expected, context)
                case 97..<99:
                    if !snapshots.isEmpty {
                        snapshots.removeFirst().snapshot.close()
                    }
                default:
                    // Reopening only exists on disk; memory just keeps going.
                    guard backend == .rocksDB else { break }
                    for entry in snapshots { entry.snapshot.close() }
                    snapshots = []
                    store.close()
                    store = try fixture.open(families)
                }
            }
            for family in families {
                let everything = Self.scan(model[family] ?? [:], range: .all, limit: .max, reverse: false)
                #expect(try store.scan(family, range: .all, limit: StoreLimits.maxScanLimit) == everything)
            }
        }
    }

    /// Few distinct bytes and short lengths, so keys collide, share prefixes
    /// and sit at the 0x00 / 0x7F / 0x80 / 0xFF edges.
    static func randomKey(_ random: inout SeededGenerator) -> [UInt8] {
        let alphabet: [UInt8] = [0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF]
        return (0..<Int.random(in: 0...3, using: &random)).map { _ in
            alphabet[Int.random(in: 0..<alphabet.count, using: &random)]
        }
    }

    static func randomValue(_ random: inout SeededGenerator) -> [UInt8] {
        (0..<Int.random(in: 0...8, using: &random)).map { _ in UInt8.random(in: .min ... .max, using: &random) }
    }

    /// A range, a limit, a direction and a byte cap: mostly the default cap,
    /// sometimes one small enough to cut the scan short.
    static func randomScan(_ random: inout SeededGenerator) -> (KeyRange, Int, Bool, Int) {
        let range: KeyRange
        switch Int.random(in: 0..<4, using: &random) {
        case 0: range = .all
        case 1: range = .prefix(Array(randomKey(&random).prefix(2)))
        case 2: range = KeyRange(from: randomKey(&random))
        default: range = KeyRange(from: randomKey(&random), to: randomKey(&random))
        }
        let limit = Bool.random(using: &random) ? Int.random(in: 1...5, using: &random) : 1_000
        let reverse = Bool.random(using: &random)
        let maxBytes = Bool.random(using: &random) ? Int.random(in: 1...40, using: &random) : StoreLimits.maxScanBytes
        return (range, limit, reverse, maxBytes)
    }

    /// The reference: filter, sort with the standard library's unsigned
    /// lexicographic order, cut at `limit`, then cut after the entry that
    /// brings the key plus value bytes to `maxBytes`. Deliberately shares no
    /// code with the stores.
    static func scan(
        _ entries: [[UInt8]: [UInt8]], range: KeyRange, limit: Int, reverse: Bool, maxBytes: Int = .max
    ) -> [KeyValuePair] {
        let inRange = entries.keys.filter { key in
            !key.lexicographicallyPrecedes(range.lowerBound)
                && (range.upperBound.map { key.lexicographicallyPrecedes($0) } ?? true)
        }
        var sorted = inRange.sorted { $0.lexicographicallyPrecedes($1) }
        if reverse { sorted.reverse() }
        var result: [KeyValuePair] = []
        var bytes = 0
        for key in sorted.prefix(limit) where bytes < maxBytes {
            let value = entries[key] ?? []
            result.append(KeyValuePair(key: key, value: value))
            bytes += key.count + value.count
        }
        return result
    }
}
