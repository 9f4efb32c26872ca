import BenchSupport
import ChaosKit
import CivicClient
import Foundation
import NodeAPIModel

/// What happened to one fault: whom it hit, and how long the cluster took to
/// catch up once it was healed.
struct FaultRecord: Codable, Sendable {
    let fault: String
    let kind: FaultKind
    let nodes: [Int]
    let startSeconds: Double
    /// From the heal until every node reached the height the cluster had at the heal.
    let recoverySeconds: Double?
    let note: String
}

/// Applies each fault to the devnet for its hold, heals it, and waits for the
/// cluster to recover. One fault at a time: the campaign never asks more of
/// PBFT than f = 1 of 4 (the split is the deliberate exception, and waits).
struct FaultInjector {
    let devnet: CampaignDevnet
    let mesh: ProxyMesh
    let clients: [Int: NodeClient]
    let started: ContinuousClock.Instant
    /// A node that has not caught up this long after the heal is a finding.
    static let recoveryLimit: Duration = .seconds(90)
    let log: @Sendable (String) -> Void

    func inject(_ fault: Fault) async throws -> FaultRecord {
        let clock = ContinuousClock()
        let start = (clock.now - started).seconds
        let hold = Duration.milliseconds(fault.holdMillis)
        var nodes = fault.nodes
        var note = ""
        switch fault.kind {
        case .kill:
            await devnet.signal(nodes[0], SIGKILL)
            try await Task.sleep(for: hold)
            try await devnet.start(nodes[0])
        case .killPrimary:
            let primary = await settledPrimary()
            nodes = [primary]
            await devnet.signal(primary, SIGKILL)
            try await Task.sleep(for: hold)
            try await devnet.start(primary)
        case .pause:
            await devnet.signal(nodes[0], SIGSTOP)
            try await Task.sleep(for: hold)
            await devnet.signal(nodes[0], SIGCONT)
        case .wipe:
            try await devnet.wipe(nodes[0])
            try await Task.sleep(for: hold)
            try await devnet.start(nodes[0])
        case .isolate, .splitHalves:
            mesh.separate(Set(nodes))
            try await Task.sleep(for: hold)
            mesh.healAll()
        case .diskFull:
            // Two halves: the running node meets the full disk (RocksDB may
            // ride it out on WAL space it preallocated), then the node is
            // restarted onto it, which must write to open. Either way a node
            // that cannot write must stop, not run on with a store it cannot
            // trust; restarted once the disk is freed, it catches up.
            let node = nodes[0]
            let filled = await devnet.fillDisk()
            try await Task.sleep(for: hold / 2)
            var seen: [String] = []
            var restarted = false
            if await devnet.collectExits(expectWriteFailure: node).contains(node) {
                seen.append("stopped while running on the full disk (\(await devnet.stopReason(node)))")
            } else if await devnet.isRunning(node) {
                seen.append("ran on through the fill")
                await devnet.signal(node, SIGKILL)
                try await devnet.start(node)
                restarted = true
            }
            try await Task.sleep(for: hold / 2)
            let stopped = await devnet.collectExits(expectWriteFailure: node).contains(node)
            switch (restarted, stopped) {
            case (true, true): seen.append("restarted on the full disk, stopped (\(await devnet.stopReason(node)))")
            case (true, false): seen.append("restarted on the full disk, kept running")
            case (false, true): seen.append("stopped while running on the full disk (\(await devnet.stopReason(node)))")
            case (false, false): break
            }
            await devnet.freeDisk()
            try await devnet.start(node)
            note = "filled \(filled >> 20) MiB; " + seen.joined(separator: "; ")
        case .clockSkew:
            await devnet.signal(nodes[0], SIGTERM)
            try await devnet.start(nodes[0], skewMillis: fault.skewMillis)
            try await Task.sleep(for: hold)
            await devnet.signal(nodes[0], SIGTERM)
            try await devnet.start(nodes[0])
        }
        let healedAt = clock.now
        // Any node that died on its own during the fault is a finding; it is
        // restarted so the campaign can go on and the audit can see it.
        for node in await devnet.collectExits() { try await devnet.start(node) }
        let recovered = await waitForRecovery()
        let recovery = recovered ? (clock.now - healedAt).seconds : nil
        if !recovered { note += (note.isEmpty ? "" : "; ") + "not recovered within \(Self.recoveryLimit)" }
        return FaultRecord(
            fault: fault.kind == .killPrimary ? "killPrimary node\(nodes[0]) for \(Double(fault.holdMillis) / 1000) s" : fault.description,
            kind: fault.kind, nodes: nodes, startSeconds: start, recoverySeconds: recovery, note: note)
    }

    /// The primary most nodes name (1-based); node1 when none answers.
    func settledPrimary() async -> Int {
        var votes: [Int: Int] = [:]
        for status in await statuses().values where !status.changingView {
            votes[status.primary + 1, default: 0] += 1
        }
        return votes.max { $0.value < $1.value }?.key ?? 1
    }

    func statuses() async -> [Int: StatusView] {
        await withTaskGroup(of: (Int, StatusView?).self) { group in
            for (node, client) in clients {
                group.addTask { (node, try? await client.status()) }
            }
            var all: [Int: StatusView] = [:]
            for await (node, status) in group { if let status { all[node] = status } }
            return all
        }
    }

    /// Waits until every node answers with at least the highest height any
    /// node had when the fault was healed. Bounded by `recoveryLimit`.
    func waitForRecovery() async -> Bool {
        let target = await statuses().values.map(\.height).max() ?? 0
        let clock = ContinuousClock()
        let deadline = clock.now + Self.recoveryLimit
        while clock.now < deadline {
            let all = await statuses()
            if all.count == clients.count, all.values.allSatisfy({ $0.height >= target }) { return true }
            try? await Task.sleep(for: .milliseconds(250))
        }
        log("recovery: not every node reached height \(target) within \(Self.recoveryLimit)")
        return false
    }
}
