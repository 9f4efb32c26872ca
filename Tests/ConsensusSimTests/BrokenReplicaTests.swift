@_spi(Flaws) import Consensus
@_spi(Flaws) import ConsensusSim
import Testing

/// The checkers must be able to fail: each deliberately broken replica (a
/// `Flaw`, reachable only through SPI) is caught within a small seed budget.
@Suite struct BrokenReplicaTests {
    func firstFailure(_ flaw: Flaw, profile: FaultProfile, budget: UInt64, certificates: Bool) async -> SimulationResult? {
        await onOwnThread { Self.firstFailure(flaw, profile: profile, budget: budget, certificates: certificates) }
    }

    static func firstFailure(_ flaw: Flaw, profile: FaultProfile, budget: UInt64, certificates: Bool) -> SimulationResult? {
        for seed in 0..<budget {
            var options = SimulationOptions(replicaCount: 4, profile: profile, seed: seed)
            options.flaw = flaw
            options.checkCertificates = certificates
            let result = Simulation(options: options).run()
            if !result.passed { return result }
        }
        return nil
    }

    /// Without prepared certificates a new primary reuses sequence numbers that
    /// already committed somewhere; the agreement checker sees the conflict.
    @Test func skippingPreparedCertificatesIsCaughtByAgreement() async throws {
        let agreement = await onOwnThread { () -> SimulationResult? in
            for seed in UInt64(0)..<300 {
                var options = SimulationOptions(replicaCount: 4, profile: .mixed, seed: seed)
                options.flaw = .skipPreparedCertificates
                let result = Simulation(options: options).run()
                if result.violations.contains(where: { $0.kind == .agreement }) { return result }
            }
            return nil
        }
        let failure = try #require(agreement)
        print("skipPreparedCertificates: agreement violation at seed \(failure.seed): \(failure.violations[0])")
    }

    /// f+1 quorums let two sides of a partition, or a byzantine replica with a
    /// few honest ones, commit different batches; certificate checks are off so
    /// that the agreement checker alone must catch it.
    @Test func majorityQuorumsAreCaughtByAgreement() async throws {
        let failure = try #require(await firstFailure(.majorityQuorums, profile: .byzantine, budget: 100, certificates: false))
        #expect(failure.violations.contains { $0.kind == .agreement })
    }

    /// A 2f commit quorum hands out certificates a light client rejects, and the
    /// certificate check catches that on the first commit. (At n = 4 the
    /// agreement checker alone did not catch it in 100 seeds of any profile: the
    /// 2f+1 prepare quorum still protects agreement unless a byzantine replica
    /// commits without preparing at exactly the wrong moment.)
    @Test func commitQuorumOfTwoFIsCaughtByTheCertificateCheck() async throws {
        let failure = try #require(await firstFailure(.commitQuorumTwoF, profile: .none, budget: 5, certificates: true))
        #expect(failure.violations.contains { $0.kind == .validity && $0.message.contains("commit certificate") })
    }
}
