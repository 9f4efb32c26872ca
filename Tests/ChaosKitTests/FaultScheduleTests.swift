import Testing

@testable import ChaosKit

@Suite struct FaultScheduleTests {
    @Test(arguments: [CampaignProfile.short, .long], [UInt64(1), 7, 12_345])
    func everyKindAppearsAndHoldsStayInBounds(profile: CampaignProfile, seed: UInt64) {
        let faults = FaultSchedule.make(profile: profile, nodeCount: 4, diskNode: 4, seed: seed)
        #expect(Set(faults.map(\.kind)) == Set(FaultKind.allCases))
        #expect(faults.count % FaultKind.allCases.count == 0, "faults come in whole rounds")
        for fault in faults {
            #expect(profile.holdMillis.contains(fault.holdMillis))
            #expect(fault.nodes.allSatisfy { (1...4).contains($0) })
            switch fault.kind {
            case .killPrimary: #expect(fault.nodes.isEmpty)
            case .diskFull: #expect(fault.nodes == [4])
            case .splitHalves:
                #expect(fault.nodes.count == 2)
                #expect(Set(fault.nodes).count == 2)
            case .clockSkew:
                #expect(fault.nodes.count == 1)
                #expect(FaultSchedule.skews.contains(fault.skewMillis))
            case .kill, .pause, .wipe, .isolate:
                #expect(fault.nodes.count == 1)
                #expect(fault.skewMillis == 0)
            }
        }
    }

    @Test func theSameSeedGivesTheSameScheduleAndAnotherSeedAnother() {
        let a = FaultSchedule.make(profile: .short, nodeCount: 4, diskNode: 4, seed: 99)
        let b = FaultSchedule.make(profile: .short, nodeCount: 4, diskNode: 4, seed: 99)
        let c = FaultSchedule.make(profile: .short, nodeCount: 4, diskNode: 4, seed: 100)
        #expect(a == b)
        #expect(a != c)
        #expect(FaultSchedule.gap(profile: .short, seed: 99, index: 3) == FaultSchedule.gap(profile: .short, seed: 99, index: 3))
    }

    @Test func laterRoundsOnlyRunWhileTheyFitTheBudget() {
        let tight = CampaignProfile(
            name: "tight", faultSeconds: 1, holdMillis: 5_000...5_000, gapMillis: 1_000...1_000, invoiceWorkers: 1, streamPerSecond: 1)
        #expect(FaultSchedule.make(profile: tight, nodeCount: 4, diskNode: 1, seed: 5).count == FaultKind.allCases.count)
        let perFault = 5_000 + FaultSchedule.recoveryAllowanceMillis + 1_000
        let threeRounds = CampaignProfile(
            name: "three", faultSeconds: perFault * FaultKind.allCases.count * 3 / 1000, holdMillis: 5_000...5_000,
            gapMillis: 1_000...1_000, invoiceWorkers: 1, streamPerSecond: 1)
        #expect(FaultSchedule.make(profile: threeRounds, nodeCount: 4, diskNode: 1, seed: 5).count == 3 * FaultKind.allCases.count)
    }

    @Test func skewsStraddleTheNodesTimestampBound() {
        // One skew the cluster must tolerate (inside the 10 s bound) and one it must refuse.
        #expect(FaultSchedule.skews.contains { abs($0) < 10_000 })
        #expect(FaultSchedule.skews.contains { abs($0) > 10_000 })
    }
}
