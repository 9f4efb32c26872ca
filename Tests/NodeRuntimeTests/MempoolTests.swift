import LedgerCore
import Testing
@testable import NodeRuntime

@Suite("Mempool")
struct MempoolTests {
    let alice = PublicKeyBytes([0x02] + [UInt8](repeating: 1, count: 32))!
    let bob = PublicKeyBytes([0x03] + [UInt8](repeating: 2, count: 32))!

    func id(_ n: UInt8) -> TxID { TxID(Digest([UInt8](repeating: n, count: 32))!) }

    func pool(max: Int = 10, bytes: Int = 1_000, perSender: Int = 3) -> Mempool {
        Mempool(limits: .init(maxTransactions: max, maxBytes: bytes, maxPerSender: perSender, resubmitAfterMillis: 100))
    }

    @Test func admitsOnceAndKnowsTheRest() {
        var mempool = pool()
        #expect(mempool.admit(id(1), bytes: [1, 2], sender: alice, expiryHeight: 10, now: 0) == .accepted)
        #expect(mempool.admit(id(1), bytes: [1, 2], sender: alice, expiryHeight: 10, now: 0) == .known)
        #expect(mempool.count == 1)
        #expect(mempool.byteCount == 2)
    }

    @Test func boundsEachSenderCountAndBytes() {
        var mempool = pool(max: 5, bytes: 100, perSender: 3)
        for n in UInt8(1)...3 { #expect(mempool.admit(id(n), bytes: [n], sender: alice, expiryHeight: 10, now: 0) == .accepted) }
        #expect(mempool.admit(id(4), bytes: [4], sender: alice, expiryHeight: 10, now: 0) == .full(perSender: true))
        #expect(mempool.admit(id(5), bytes: [UInt8](repeating: 0, count: 98), sender: bob, expiryHeight: 10, now: 0) == .full(perSender: false))
        #expect(mempool.admit(id(6), bytes: [6], sender: bob, expiryHeight: 10, now: 0) == .accepted)
        #expect(mempool.admit(id(7), bytes: [7], sender: bob, expiryHeight: 10, now: 0) == .accepted)
        #expect(mempool.admit(id(8), bytes: [8], sender: bob, expiryHeight: 10, now: 0) == .full(perSender: false))
        mempool.remove(id(1))
        #expect(mempool.admit(id(4), bytes: [4], sender: alice, expiryHeight: 10, now: 0) == .accepted)
    }

    @Test func offersStaleEntriesAgainOnceEachPeriod() {
        var mempool = pool()
        _ = mempool.admit(id(1), bytes: [1], sender: alice, expiryHeight: 10, now: 1_000)
        #expect(mempool.due(now: 1_050, limit: 10).isEmpty)
        let first = mempool.due(now: 1_100, limit: 10)
        #expect(first == [[1]])
        #expect(mempool.due(now: 1_150, limit: 10).isEmpty)
        let again = mempool.due(now: 1_200, limit: 10)
        #expect(again == [[1]])
    }

    @Test func dropsExpiredTransactions() {
        var mempool = pool()
        _ = mempool.admit(id(1), bytes: [1], sender: alice, expiryHeight: 5, now: 0)
        _ = mempool.admit(id(2), bytes: [2], sender: alice, expiryHeight: 6, now: 0)
        mempool.dropExpired(height: 6)
        #expect(!mempool.contains(id(1)))
        #expect(mempool.contains(id(2)))
        #expect(mempool.byteCount == 1)
    }
}
