@testable import Consensus
import LedgerCore
import LedgerCrypto
import Testing

/// The primary draws batches from `PendingRequests` in arrival order, skipping
/// what is already proposed. These pin that order through the states a view
/// change and execution put the queue in, since drawing starts from a cursor.
@Suite("Pending requests")
struct PendingRequestsTests {
    static let hash = CryptoSuites.standard

    static func filled(_ count: Int) -> (PendingRequests, [Digest]) {
        var pending = PendingRequests()
        var digests: [Digest] = []
        for index in 0..<count {
            let request = [UInt8(index & 0xFF), UInt8(index >> 8)]
            let digest = hash.digest(request)
            let queued = pending.append(digest, request, maxCount: 1_000, maxBytes: 1 << 20)
            #expect(queued)
            digests.append(digest)
        }
        return (pending, digests)
    }

    /// Draws like the primary: take a batch, mark it proposed.
    static func propose(_ pending: inout PendingRequests, max: Int) -> [Digest] {
        let next = pending.nextBatch(maxCount: max, maxBytes: 1 << 20)
        for digest in next.digests { pending.setProposed(digest, true) }
        return next.digests
    }

    @Test("Batches come in arrival order and never repeat a proposed request")
    func arrivalOrder() {
        var (pending, digests) = Self.filled(10)
        let drawn1 = Self.propose(&pending, max: 4)
        #expect(drawn1 == Array(digests[0..<4]))
        let drawn2 = Self.propose(&pending, max: 4)
        #expect(drawn2 == Array(digests[4..<8]))
        let last = pending.nextBatch(maxCount: 4, maxBytes: 1 << 20)
        #expect(last.digests == Array(digests[8..<10]))
        #expect(!last.full)
    }

    @Test("A view change makes every request proposable again, from the front")
    func clearProposed() {
        var (pending, digests) = Self.filled(10)
        _ = Self.propose(&pending, max: 6)
        pending.clearProposed()
        let drawn3 = Self.propose(&pending, max: 3)
        #expect(drawn3 == Array(digests[0..<3]))
    }

    @Test("Requests marked proposed out of order (a NEW-VIEW's batches) are skipped")
    func proposedOutOfOrder() {
        var (pending, digests) = Self.filled(10)
        for index in [0, 1, 5, 6] { pending.setProposed(digests[index], true) }
        let drawn4 = Self.propose(&pending, max: 4)
        #expect(drawn4 == [digests[2], digests[3], digests[4], digests[7]])
        let drawn5 = Self.propose(&pending, max: 4)
        #expect(drawn5 == [digests[8], digests[9]])
    }

    @Test("Execution removes requests, and compaction keeps the order of the rest")
    func removalAndCompaction() {
        var (pending, digests) = Self.filled(100)
        _ = Self.propose(&pending, max: 50)
        for digest in digests[0..<45] { pending.remove(digest) }
        #expect(pending.count == 55)
        let drawn6 = Self.propose(&pending, max: 10)
        #expect(drawn6 == Array(digests[50..<60]))
        pending.clearProposed()
        let drawn7 = Self.propose(&pending, max: 7)
        #expect(drawn7 == Array(digests[45..<52]))
        // Below 42 live entries the 100-slot order array is compacted, and the
        // cursor into it must start again.
        for digest in digests[45..<95] { pending.remove(digest) }
        let drawn8 = Self.propose(&pending, max: 10)
        #expect(drawn8 == Array(digests[95..<100]))
    }
}
