import LedgerCore
import LedgerCrypto
import LedgerTesting
@testable import NodeAPI
import Testing

@Suite("The nonce cache of signed requests")
struct NonceCacheTests {
    @Test("A nonce is refused while remembered, per key, and forgotten after the memory window")
    func nonceMemory() {
        let cache = NonceCache(capacity: 10, memoryMillis: 600_000)
        let key = [UInt8](repeating: 2, count: 33)
        let other = [UInt8](repeating: 3, count: 33)
        #expect(cache.admit(key: key, nonce: [1], timestamp: 1_000, now: 1_000) == .fresh)
        #expect(cache.admit(key: key, nonce: [1], timestamp: 1_000, now: 1_000 + 599_999) == .reused)
        #expect(cache.admit(key: other, nonce: [1], timestamp: 1_000, now: 2_000) == .fresh)
        #expect(cache.admit(key: key, nonce: [1], timestamp: 1_000, now: 1_000 + 600_000) == .fresh)
    }

    @Test("At capacity the oldest pair goes, and every request stamped at or before it is refused")
    func capacityFloor() {
        let cache = NonceCache(capacity: 2, memoryMillis: 600_000)
        let key = [UInt8](repeating: 2, count: 33)
        #expect(cache.admit(key: key, nonce: [1], timestamp: 500, now: 1_000) == .fresh)
        #expect(cache.admit(key: key, nonce: [2], timestamp: 700, now: 1_000) == .fresh)
        #expect(cache.admit(key: key, nonce: [3], timestamp: 600, now: 1_000) == .fresh)  // evicts nonce 1 (stamped 500)
        #expect(cache.count == 2)
        // Nonce 1 is forgotten, but its replay is still refused by the floor.
        #expect(cache.admit(key: key, nonce: [1], timestamp: 500, now: 1_001) == .belowFloor(500))
        #expect(cache.admit(key: key, nonce: [9], timestamp: 500, now: 1_001) == .belowFloor(500))
        // Remembered ones are still replays; later timestamps pass.
        #expect(cache.admit(key: key, nonce: [2], timestamp: 700, now: 1_001) == .reused)
        #expect(cache.admit(key: key, nonce: [4], timestamp: 501, now: 1_001) == .fresh)
    }
}
