import BenchSupport
import ChaosKit

/// What a campaign writes as JSON and prints as tables.
struct ChaosReport: Codable, Sendable {
    let profile: CampaignProfile
    let seed: UInt64
    let build: String
    let durationSeconds: Double
    let faults: [FaultRecord]
    let submitted: Int
    let acknowledged: Int
    /// Transactions given up on while the cluster could not commit (the split, mostly); not lost: never confirmed.
    let unacknowledged: Int
    let shed: Int
    let invoicesIssued: Int
    let reimbursementPairs: Int
    let pairsWithOneAccepted: Int
    let finalHeight: UInt64
    let converged: Bool
    let unexpectedExits: [String]
    /// Fault kinds this machine could not inject, and why.
    let skipped: [String]
    let audit: CampaignAudit?
    let failure: String?

    var passed: Bool {
        failure == nil && converged && unexpectedExits.isEmpty && (audit?.passed ?? false)
            && faults.allSatisfy { $0.recoverySeconds != nil }
    }

    func faultTable() -> String {
        BenchOutput.table(
            header: ["#", "fault", "at s", "recovery s", "note"],
            rows: faults.enumerated().map { index, record in
                ["\(index + 1)", record.fault, fmt(record.startSeconds), record.recoverySeconds.map(fmt) ?? "NOT RECOVERED", record.note]
            }, textColumns: 2)
    }

    func summaryTable() -> String {
        var rows: [[String]] = [
            ["faults injected", "\(faults.count)"],
            ["kinds", Set(faults.map(\.kind)).map(\.rawValue).sorted().joined(separator: " ")],
            ["kinds skipped", skipped.isEmpty ? "none" : skipped.joined(separator: "; ")],
            ["transactions submitted", "\(submitted)"],
            ["acknowledged (receipt from a node)", "\(acknowledged)"],
            ["unacknowledged (never confirmed)", "\(unacknowledged)"],
            ["stream ticks shed (64 in flight)", "\(shed)"],
            ["invoices issued", "\(invoicesIssued)"],
            ["competing reimbursement pairs", "\(reimbursementPairs)"],
            ["  of which exactly one accepted", "\(pairsWithOneAccepted)"],
            ["final height", "\(finalHeight)"],
            ["all nodes converged", converged ? "yes" : "NO"],
            ["nodes that exited on their own", unexpectedExits.isEmpty ? "0" : "\(unexpectedExits.count)"],
        ]
        if let audit {
            rows += [
                ["acknowledged txs lost", "\(audit.lostCount)"],
                ["receipts that differ from the ack", "\(audit.mismatchedCount)"],
                ["heights compared / forked", "\(audit.heightsCompared) / \(audit.forkedHeights.count)"],
                ["heads and state roots agree", audit.headsAgree ? "yes" : "NO"],
                ["invoices checked on every node", "\(audit.invoicesChecked)"],
                ["invoices reimbursed twice", "\(audit.doubleReimbursed.count)"],
                ["invoice histories that differ", "\(audit.divergentInvoices.count)"],
                ["offences charged to honest nodes", "\(audit.falseAccusations.count)"],
                ["  excused (equivocation by a wiped node)", "\(audit.excusedOffences.count)"],
            ]
        }
        rows.append(["verdict", passed ? "PASS" : "FAIL"])
        return BenchOutput.table(header: ["campaign \(profile.name), seed \(seed), \(build)", "value"], rows: rows, textColumns: 1)
    }

    private func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
