import Consensus
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPI
import Testing
@testable import NodeRuntime

/// The node runtime's consensus, execution, recovery and sync paths, with four
/// real drivers over memory and a reordering loopback. The same scenarios run
/// against real processes, TLS and RocksDB in EndToEndTests.
@Suite("In-process cluster", .serialized)
struct InProcessClusterTests {
    @Test func fourNodesCommitTheSameBlocks() async throws {
        let cluster = try InProcessCluster()
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        var ids = try await cluster.submit(20, via: 0)
        ids += try await cluster.submit(20, via: 2)
        let head = try await cluster.waitForAgreement(on: ids)
        #expect(head.height.value >= 1)
        // Every block is archived with a commit certificate of 2f+1 signers.
        for height in 1...head.height.value {
            let block = try #require(try await cluster.backend(3).block(at: Height(height)))
            #expect(block.signers.count >= 3)
            #expect(Set(block.signers).isSubset(of: Set(0..<4)))
        }
        let reference = try await cluster.blockHashes(0)
        for node in 1..<4 { #expect(try await cluster.blockHashes(node) == reference) }
        // Submitting a committed transaction again is harmless.
        let again = await cluster.backend(1).submit([try cluster.registerOffice()])
        guard case .accepted = again[0] else { Issue.record("a fresh transaction was refused: \(again)"); return }
    }

    @Test func everyNodeProvesStateAgainstACertificateOfTheValidators() async throws {
        let cluster = try InProcessCluster()
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        let ids = try await cluster.submit(5, via: 1)
        let head = try await cluster.waitForAgreement(on: ids)
        let suite = CryptoSuites.suite(cluster.genesis.suite)
        let validators = try cluster.validators()
        for node in 0..<cluster.count {
            // Each node certifies the head once 2f+1 attestations arrive; the wait bounds a hang.
            let (proven, certified) = try await cluster.backend(node).withCertifiedQueries(minHeight: head.height.value, waitMillis: 30_000) {
                queries throws(LedgerError) in try queries.prove(.bureauSet)
            }
            let certificate = try Canonical.decode(StateCertificate.self, from: certified.certificate)
            try validators.check(certificate, height: certified.header.height.value, blockHash: certified.header.hash(using: suite))
            #expect(certificate.attestations.count >= 3)
            let holds = proven.proof.verify(key: LedgerStateKey.bureauSet.bytes, value: proven.value, root: certificate.stateRoot, hash: suite)
            #expect(holds)
            // The status says which block proofs are proven at.
            #expect((await cluster.backend(node).status().certifiedHeight ?? 0) >= certified.header.height.value)
        }
    }

    @Test func aNewChainIsProvenAtGenesisBeforeAnyBlock() async throws {
        let cluster = try InProcessCluster()
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        let suite = CryptoSuites.suite(cluster.genesis.suite)
        let validators = try cluster.validators()
        for node in 0..<cluster.count {
            let (proven, certified) = try await cluster.backend(node).withCertifiedQueries(minHeight: 0, waitMillis: 30_000) {
                queries throws(LedgerError) in try queries.prove(.bureauSet)
            }
            #expect(certified.header.height.value == 0)
            let certificate = try Canonical.decode(StateCertificate.self, from: certified.certificate)
            try validators.check(certificate, height: 0, blockHash: certified.header.hash(using: suite))
            let holds = proven.proof.verify(key: LedgerStateKey.bureauSet.bytes, value: proven.value, root: certificate.stateRoot, hash: suite)
            #expect(holds)
        }
        #expect(try cluster.ledger(0).head().height.value == 0, "a block was committed: the test proved nothing about genesis")
    }

    @Test func aClusterRestartedOnAnIdleChainProvesItsHeadWithoutANewBlock() async throws {
        let cluster = try InProcessCluster()
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        let ids = try await cluster.submit(3, via: 0)
        let head = try await cluster.waitForAgreement(on: ids)
        // Attestations live in memory only: a restart forgets every certificate.
        await cluster.stopAll()
        try await cluster.startAll()
        for node in 0..<cluster.count {
            let (_, certified) = try await cluster.backend(node).withCertifiedQueries(minHeight: head.height.value, waitMillis: 30_000) { _ in 0 }
            #expect(certified.header.height == head.height)
        }
        #expect(try cluster.ledger(0).head() == head, "a block was committed after the restart: the test proved nothing about an idle chain")
    }

    @Test func aNodeThatLostTheAttestationsCertifiesFromTheirRepeats() async throws {
        let cluster = try InProcessCluster()
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        let first = try await cluster.submit(1, via: 0)
        let before = try await cluster.waitForAgreement(on: first)
        _ = try await cluster.backend(3).withCertifiedQueries(minHeight: before.height.value, waitMillis: 30_000) { _ in 0 }
        // Node 4 loses every attestation of the next block; the chain then goes idle.
        cluster.hub.attestationsLostTo.withLock { $0 = [3] }
        let lost = try await cluster.submit(1, via: 0)
        let head = try await cluster.waitForAgreement(on: lost)
        let behind = try await cluster.backend(3).withCertifiedQueries(minHeight: 0, waitMillis: 0) { _ in 0 }
        #expect(behind.certified.header.height.value < head.height.value, "certified without the attestations")
        // The link heals: the peers' repeated attestations certify the head with no new block.
        cluster.hub.attestationsLostTo.withLock { $0 = [] }
        let healed = try await cluster.backend(3).withCertifiedQueries(minHeight: head.height.value, waitMillis: 30_000) { _ in 0 }
        #expect(healed.certified.header.height == head.height)
    }

    @Test func aCommittedTransactionIsKnownNotAdmittedAgain() async throws {
        let cluster = try InProcessCluster()
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        let bytes = try cluster.registerOffice()
        let first = await cluster.backend(0).submit([bytes])
        guard case let .accepted(id) = first[0] else { Issue.record("refused: \(first)"); return }
        _ = try await cluster.waitForAgreement(on: [id])
        #expect(await cluster.backend(1).submit([bytes]) == [.known(id)])
        #expect(try await cluster.backend(1).receipt(of: id, waitMillis: nil) != .unknown)
    }

    @Test func aRestartedNodeRecoversAndCatchesUp() async throws {
        let cluster = try InProcessCluster()
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        var ids = try await cluster.submit(10, via: 0)
        _ = try await cluster.waitForAgreement(on: ids)
        await cluster.crash(3)
        // Enough blocks that the others pass a stable checkpoint and discard
        // the messages node 4 missed (K = 16 in the devnet genesis).
        ids += try await cluster.grow(40, via: 1)
        _ = try await cluster.waitForAgreement(on: ids)
        try await cluster.start(3)
        let head = try await cluster.waitForAgreement(on: ids)
        #expect(try cluster.ledger(3).head() == head)
    }

    @Test func aNodeWithAnEmptyStoreRejoinsByStateTransfer() async throws {
        let cluster = try InProcessCluster()
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        var ids = try await cluster.grow(40, via: 0)
        _ = try await cluster.waitForAgreement(on: ids)
        await cluster.wipe(2)
        ids += try await cluster.submit(8, via: 0)
        try await cluster.start(2)
        let head = try await cluster.waitForAgreement(on: ids)
        #expect(try cluster.ledger(2).head().stateRoot == head.stateRoot)
        // It got there by fetching certified blocks, not from consensus messages
        // (the others discarded those at their stable checkpoints).
        #expect(await cluster.driver(2).snapshot().stateTransfers >= 1)
    }

    @Test func losingThePrimaryChangesTheViewAndCommitsContinue() async throws {
        let cluster = try InProcessCluster()
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        let before = try await cluster.submit(5, via: 1)
        _ = try await cluster.waitForAgreement(on: before)
        #expect(await cluster.backend(1).status().primary == 0)
        await cluster.crash(0)
        let after = try await cluster.submit(5, via: 1)
        _ = try await cluster.waitForAgreement(on: before + after)
        let status = await cluster.backend(2).status()
        #expect(status.view >= 1)
        #expect(status.primary != 0)
        // Blocks committed across the view change are identical on every survivor.
        let reference = try await cluster.blockHashes(1)
        for node in [2, 3] { #expect(try await cluster.blockHashes(node) == reference) }
    }
}
