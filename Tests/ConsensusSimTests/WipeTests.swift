import Consensus
import ConsensusSim
import Testing

/// A wiped replica rejoins by state transfer, which takes a while; during it,
/// it cannot execute. With only backups wiped, the primary of view 0 stays
/// correct and reachable, so no correct replica has reason to leave view 0.
@Suite struct WipeTests {
    @Test func wipingBackupsChangesNoView() async {
        let results = await onOwnThread {
            (0..<UInt64(300)).map { Simulation(options: SimulationOptions(replicaCount: 4, profile: .wipe, seed: $0)).run() }
        }
        let backupsOnly = results.filter { !$0.wiped.isEmpty && !$0.wiped.contains(0) }
        #expect(backupsOnly.count > 50, "too few seeds wipe only backups to mean anything")
        let changed = backupsOnly.filter { $0.viewChanges > 0 }.map(\.seed)
        #expect(changed.isEmpty, "view changes after wiping only backups, seeds \(changed.prefix(10))")
        let failed = results.filter { !$0.passed }.map(\.seed)
        #expect(failed.isEmpty, "failing seeds \(failed.prefix(10))")
    }
}
