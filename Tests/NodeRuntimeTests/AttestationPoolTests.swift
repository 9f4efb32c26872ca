import Consensus
import LedgerCore
import LedgerCrypto
import Testing
@testable import NodeRuntime

/// The node's collection of attestations: certify at 2f+1 matching, whatever
/// order they come in; name a validator whose state differs; stay bounded.
@Suite struct AttestationPoolTests {
    let suite = CryptoSuites.standard
    let cluster = Digest(unchecked: [UInt8](repeating: 0x11, count: 32))
    let signers: [SuiteSigner]
    let validators: ValidatorSet

    init() throws {
        let suite = CryptoSuites.standard
        let keys = try (1...4).map { try suite.privateKey(rawScalar: [UInt8](repeating: UInt8(0x20 + $0), count: 32)) }
        signers = try keys.enumerated().map { try SuiteSigner(replica: ReplicaID($0.offset), suite: suite, key: $0.element) }
        validators = ValidatorSet(cluster: cluster, count: 4, verifier: try SuiteVerifier(suite: suite, keys: keys.map(\.publicKey)))
    }

    func attest(_ index: Int, height: UInt64, root byte: UInt8 = 0xAA) -> SignedAttestation {
        SignedAttestation.signing(
            BlockAttestation(
                height: height, blockHash: Digest(unchecked: [UInt8](repeating: UInt8(height), count: 32)),
                stateRoot: Digest(unchecked: [UInt8](repeating: byte, count: 32)), replica: ReplicaID(index)),
            with: signers[index], cluster: cluster)
    }

    @Test func certifiesOnceOwnAndTwoPeersMatchInAnyOrder() throws {
        var pool = AttestationPool(validators: validators)
        #expect(pool.addPeer(attest(1, height: 5), from: 1, appliedHeight: 4) == .none)
        #expect(pool.addPeer(attest(2, height: 5), from: 2, appliedHeight: 4) == .none)
        guard case let .certified(certificate) = pool.addOwn(attest(0, height: 5)).last else {
            Issue.record("no certificate after 3 of 4")
            return
        }
        #expect(certificate.signers == [0, 1, 2])
        try validators.check(certificate, height: 5, blockHash: Digest(unchecked: [UInt8](repeating: 5, count: 32)))
        #expect(pool.certifiedHeight == 5 && pool.pendingHeights == 0)
        // Late attestations of a certified height are ignored.
        #expect(pool.addPeer(attest(3, height: 5), from: 3, appliedHeight: 5) == .none)
    }

    @Test func genesisCertifiesOnceAndThenOnlyLaterHeights() throws {
        var pool = AttestationPool(validators: validators)
        _ = pool.addPeer(attest(1, height: 0), from: 1, appliedHeight: 0)
        _ = pool.addPeer(attest(2, height: 0), from: 2, appliedHeight: 0)
        guard case let .certified(certificate) = pool.addOwn(attest(0, height: 0)).last else {
            Issue.record("genesis not certified by 3 of 4")
            return
        }
        try validators.check(certificate, height: 0, blockHash: Digest(unchecked: [UInt8](repeating: 0, count: 32)))
        #expect(pool.certifiedHeight == 0)
        // Once certified, height 0 is behind: a repeat does not certify it again.
        #expect(pool.addPeer(attest(3, height: 0), from: 3, appliedHeight: 0) == .none)
        #expect(pool.addOwn(attest(0, height: 0)).isEmpty)
    }

    @Test func refusesWhatIsNotAnHonestPeersOwnStatement() {
        var pool = AttestationPool(validators: validators)
        _ = pool.addOwn(attest(0, height: 3))
        // Relayed by another peer than its signer, beyond the window, or signed by another key.
        #expect(pool.addPeer(attest(1, height: 3), from: 2, appliedHeight: 3) == .none)
        #expect(pool.addPeer(attest(1, height: 3 + AttestationPool.window + 1), from: 1, appliedHeight: 3) == .none)
        // Nor far below: a node that certifies nothing must not collect a map the chain's height long.
        var behind = AttestationPool(validators: validators)
        #expect(behind.addPeer(attest(1, height: 2), from: 1, appliedHeight: 2 + AttestationPool.window + 1) == .none)
        #expect(behind.pendingHeights == 0)
        let forged = SignedAttestation(content: attest(2, height: 3).content, signature: attest(1, height: 3).signature)
        #expect(pool.addPeer(forged, from: 2, appliedHeight: 3) == .none)
        #expect(pool.certifiedHeight == nil && pool.pendingHeights == 1)
    }

    @Test func aDifferentStateAtTheSameHeightIsReportedWhicheverCameFirst() {
        var pool = AttestationPool(validators: validators)
        _ = pool.addOwn(attest(0, height: 9))
        let outcome = pool.addPeer(attest(3, height: 9, root: 0xBB), from: 3, appliedHeight: 9)
        guard case let .conflict(signer, theirs, ours) = outcome else {
            Issue.record("no conflict reported: \(outcome)")
            return
        }
        #expect(signer == 3 && theirs.stateRoot != ours.stateRoot)
        // The peer first, this node later: reported all the same, and the agreeing quorum still certifies.
        var later = AttestationPool(validators: validators)
        _ = later.addPeer(attest(3, height: 4, root: 0xBB), from: 3, appliedHeight: 3)
        _ = later.addPeer(attest(1, height: 4), from: 1, appliedHeight: 3)
        _ = later.addPeer(attest(2, height: 4), from: 2, appliedHeight: 3)
        let outcomes = later.addOwn(attest(0, height: 4))
        #expect(outcomes.count == 2)
        guard case .conflict(signer: 3, _, _) = outcomes.first, case .certified = outcomes.last else {
            Issue.record("expected a conflict with validator 3, then a certificate: \(outcomes)")
            return
        }
        // Two others agreeing with this node still certify it.
        _ = pool.addPeer(attest(1, height: 9), from: 1, appliedHeight: 9)
        guard case .certified = pool.addPeer(attest(2, height: 9), from: 2, appliedHeight: 9) else {
            Issue.record("no certificate from the agreeing quorum")
            return
        }
    }

    @Test func heightsThatNeverCertifyAreDropped() {
        var pool = AttestationPool(validators: validators)
        // Validator 1 keeps attesting another state, so nothing ever certifies.
        for height in 1...(3 * AttestationPool.window) {
            _ = pool.addPeer(attest(1, height: height, root: 0xBB), from: 1, appliedHeight: height - 1)
            _ = pool.addOwn(attest(0, height: height))
        }
        #expect(pool.certifiedHeight == nil)
        #expect(pool.pendingHeights <= Int(AttestationPool.window) + 1)
    }
}
