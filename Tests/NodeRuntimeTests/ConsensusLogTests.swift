import Consensus
import LedgerCore
import LedgerStore
import Testing
@testable import NodeRuntime

@Suite("Consensus log")
struct ConsensusLogTests {
    func store() -> InMemoryStore { InMemoryStore(columnFamilies: NodeColumns.all) }

    func count(_ store: InMemoryStore) throws -> Int {
        try store.scan(NodeColumns.consensus, range: .all, limit: 100_000).count
    }

    @Test func recordsSurviveReopening() throws {
        let store = store()
        let log = try ConsensusLog(store: store)
        try log.append([.view(1, changing: true), .view(1, changing: false)])
        try log.append([.view(2, changing: true)])
        let reopened = try ConsensusLog(store: store)
        #expect(reopened.state.view == 2)
        #expect(reopened.state.changing)
        #expect(reopened.state == log.state)
    }

    @Test func compactsOnOpenAndWhenItGrows() throws {
        let store = store()
        let log = try ConsensusLog(store: store, compactEvery: 10)
        for view in 1...9 { try log.append([.view(UInt64(view), changing: false)]) }
        #expect(try count(store) == 10)  // the compacted opening record plus nine
        try log.append([.view(10, changing: false)])
        // Compacted: one view record describes the same state.
        #expect(try count(store) == log.state.records.count)
        let reopened = try ConsensusLog(store: store, compactEvery: 10)
        #expect(reopened.state.view == 10)
        #expect(try count(store) == reopened.state.records.count)
    }

    @Test func aDamagedRecordIsReportedNotSkipped() throws {
        let store = store()
        let log = try ConsensusLog(store: store)
        try log.append([.view(4, changing: false)])
        var batch = WriteBatch()
        batch.put(BigEndianKey.encode(1_000), [0x30, 0x01], in: NodeColumns.consensus)
        try store.write(batch, sync: true)
        #expect(throws: ConsensusLogError.self) { try ConsensusLog(store: store) }
    }
}

@Suite("Peer frames")
struct PeerFrameTests {
    @Test func roundTrips() throws {
        for frame in [PeerFrame.consensus([1, 2, 3]), .blocksRequest(from: 5, through: 9), .blocksResponse([])] {
            #expect(try Canonical.decode(PeerFrame.self, from: Canonical.encode(frame)) == frame)
        }
    }

    @Test func refusesGarbageAndBadRanges() {
        #expect(throws: CanonicalError.self) { try Canonical.decode(PeerFrame.self, from: [0x30, 0x03, 0x02, 0x01, 0x01]) }
        #expect(throws: CanonicalError.self) { try Canonical.decode(PeerFrame.self, from: Canonical.encode(PeerFrame.blocksRequest(from: 9, through: 5))) }
        #expect(throws: CanonicalError.self) { try Canonical.decode(PeerFrame.self, from: Canonical.encode(PeerFrame.blocksRequest(from: 0, through: 5))) }
        #expect(throws: CanonicalError.self) { try Canonical.decode(PeerFrame.self, from: [0xFF, 0x00]) }
    }
}

