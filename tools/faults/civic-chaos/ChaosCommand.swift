import ArgumentParser
import BenchSupport
import ChaosKit
import CivicClient
import Foundation
import GenesisFile
import LedgerState

@main
struct ChaosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "civic-chaos",
        abstract: "Run a fault campaign against a real 4-node devnet and audit that no acknowledged transaction was lost.",
        discussion: """
            Generates a devnet of its own (ports from --port-base), routes every peer link through a \
            proxy it can cut, and starts real civic-node processes. While a load of e-invoice \
            lifecycles (each ending in two competing reimbursements 报销) and licence / office \
            registrations runs, it injects a seeded schedule of faults one at a time: kill, kill the \
            primary, pause (SIGSTOP), wipe the data folder, isolate a node, split the network in two, \
            fill a node's disk, and skew a node's wall clock (libfaketime). After each fault it heals \
            and waits for every node to catch up.

            At the end it stops the load, waits for all four nodes to agree on height and state root, \
            and reads back every block, receipt and invoice history from every node. It fails (exit 1) \
            if any acknowledged transaction is missing or differs on any node, if two nodes hold \
            different blocks at a height, if any invoice was reimbursed twice, if a fault did not \
            recover, or if a node exited on its own.

            Run as root: the disk fault mounts a tmpfs (without that right it is skipped, and the \
            report says so). Use tools/chaos, which builds and finds the \
            binaries and libfaketime. Details: docs/chaos.md.
            """
    )

    @Option(help: "short (CI: every fault kind at least once, a few minutes) or long (about 20 minutes of faults).")
    var profile = "short"

    @Option(help: "Seed of the fault schedule; a failing campaign replays with the same seed. Random when omitted.")
    var seed: UInt64?

    @Option(help: "Folder holding the civic and civic-node executables.")
    var bin = ".build/debug"

    @Option(help: "Folder for the campaign's devnet (removed afterwards unless --keep).")
    var work = ".chaos"

    @Option(help: "Ports: peers listen on BASE+1…, APIs on BASE+11…, link proxies on BASE+112…BASE+143.")
    var portBase = 23100

    @Option(help: "Path of libfaketimeMT.so.1, for the clock-skew fault.")
    var faketimeLibrary: String?

    @Option(help: "Write the report as JSON here (default tools/faults/results/chaos-PROFILE.json).")
    var json: String?

    @Flag(help: "Keep the campaign's devnet folder and node logs.")
    var keep = false

    func validate() throws {
        guard CampaignProfile.named(profile) != nil else { throw ValidationError("--profile must be short or long") }
        guard (1024...65000).contains(portBase) else { throw ValidationError("--port-base must be in 1024...65000") }
        guard FileManager.default.isExecutableFile(atPath: bin + "/civic-node"),
              FileManager.default.isExecutableFile(atPath: bin + "/civic")
        else { throw ValidationError("\(bin) has no civic and civic-node executables; build them first (tools/chaos does)") }
        if let faketimeLibrary, !FileManager.default.fileExists(atPath: faketimeLibrary) {
            throw ValidationError("--faketime-library \(faketimeLibrary) does not exist")
        }
    }

    func run() async throws {
        let profile = CampaignProfile.named(profile)!
        let seed = seed ?? UInt64.random(in: 1...UInt64(UInt32.max))
        let folder = "\(work)/\(profile.name)-\(seed)"
        let jsonPath = json ?? "tools/faults/results/chaos-\(profile.name).json"
        let clock = ContinuousClock()
        let began = clock.now
        // Unbuffered: progress must reach a CI log as it happens, not when a buffer fills.
        let log: @Sendable (String) -> Void = { line in
            FileHandle.standardOutput.write(Data((String(format: "[%6.1f s] ", (clock.now - began).seconds) + line + "\n").utf8))
        }
        log("campaign \(profile.name), seed \(seed), nodes built \(bin), devnet in \(folder)")
        if FileManager.default.fileExists(atPath: folder) {
            // A campaign killed without its clean-up may have left node 4's tmpfs mounted.
            _ = try? CampaignDevnet.run("/bin/umount", ["\(folder)/node4/data"])
            try FileManager.default.removeItem(atPath: folder)
        }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)

        let ports = CampaignDevnet.Ports(peer: portBase + 1, api: portBase + 11, proxy: portBase + 100)
        let devnet = try CampaignDevnet.generate(
            folder: folder, bin: bin, ports: ports, diskNode: 4, faketimeLibrary: faketimeLibrary)
        let mesh = try await ProxyMesh(nodeCount: 4, basePort: ports.proxy) { ports.peer + $0 - 1 }
        // Interrupted (Ctrl-C, or a CI timeout's SIGTERM): stop the nodes and
        // unmount the tmpfs rather than leave them behind.
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let interrupts = [SIGINT, SIGTERM].map { DispatchSource.makeSignalSource(signal: $0, queue: .global()) }
        for source in interrupts {
            source.setEventHandler {
                Task {
                    log("interrupted: stopping the nodes")
                    await devnet.stopAll()
                    mesh.shutdown()
                    Foundation.exit(130)
                }
            }
            source.resume()
        }
        var report: ChaosReport
        do {
            report = try await campaign(profile: profile, seed: seed, devnet: devnet, mesh: mesh, began: began, log: log)
        } catch {
            report = ChaosReport(
                profile: profile, seed: seed, build: BenchOutput.build, durationSeconds: (clock.now - began).seconds,
                faults: [], submitted: 0, acknowledged: 0, unacknowledged: 0, shed: 0, invoicesIssued: 0,
                reimbursementPairs: 0, pairsWithOneAccepted: 0, finalHeight: 0, converged: false,
                unexpectedExits: await devnet.unexpectedExits, skipped: [], audit: nil, failure: "\(error)")
        }
        if !report.passed {
            for node in 1...4 { log("node\(node) log tail: \(await devnet.logTail(node, lines: 8))") }
        }
        await devnet.stopAll()
        mesh.shutdown()
        if !keep && report.passed { try? FileManager.default.removeItem(atPath: folder) }

        print("\n" + report.faultTable() + "\n")
        print(report.summaryTable())
        if let audit = report.audit, !audit.passed {
            for missing in audit.lost { print("lost: \(missing.txid) on nodes \(missing.nodes)") }
            for mismatch in audit.mismatched { print("mismatch: \(mismatch.txid) node\(mismatch.node) acked \(mismatch.acknowledged) found \(mismatch.found)") }
            for height in audit.forkedHeights.prefix(20) { print("fork at height \(height)") }
            for invoice in audit.doubleReimbursed { print("reimbursed twice: \(invoice)") }
            for invoice in audit.divergentInvoices.prefix(20) { print("histories differ: \(invoice)") }
            for line in audit.falseAccusations { print("false accusation: \(line)") }
        }
        for exit in report.unexpectedExits { print("unexpected exit: \(exit)") }
        if let failure = report.failure { print("campaign failed: \(failure)") }
        try BenchOutput.write(report, to: jsonPath)
        if !report.passed {
            print("replay with: tools/chaos --profile \(profile.name) --seed \(seed) --keep")
            throw ExitCode(1)
        }
    }

    private func campaign(
        profile: CampaignProfile, seed: UInt64, devnet: CampaignDevnet, mesh: ProxyMesh, began: ContinuousClock.Instant,
        log: @escaping @Sendable (String) -> Void
    ) async throws -> ChaosReport {
        // Without a tmpfs (no CAP_SYS_ADMIN, as in some containers) the disk
        // fault cannot be made without filling the machine's own disk: it is
        // skipped, and the report says so.
        var skipped: [String] = []
        do { try await devnet.mountDisk() } catch {
            skipped.append("diskFull: \(error)")
            log("WARNING: the diskFull faults are skipped: \(error)")
        }
        for node in 1...4 { try await devnet.start(node) }
        let observer = CampaignObserver(clients: devnet.clients)
        guard await observer.waitConverged() else {
            throw CampaignError("the devnet did not come up: nodes do not answer with one head")
        }
        log("devnet up: 4 nodes, peer links through \(mesh.nodeCount * (mesh.nodeCount - 1)) proxies")

        let chain = ChainParameters(genesis: devnet.genesis)
        let sender = ClusterSender(clients: devnet.clients, chain: chain, height: 0, patience: .seconds(60))
        let load = try CampaignLoad(sender: sender, profile: profile, devnet: devnet)
        let loadTask = Task { await load.run() }
        try await Task.sleep(for: .seconds(3))

        let schedule = FaultSchedule.make(profile: profile, nodeCount: 4, diskNode: devnet.diskNode, seed: seed)
            .filter { skipped.isEmpty || $0.kind != .diskFull }
        let injector = FaultInjector(devnet: devnet, mesh: mesh, clients: devnet.clients, started: began, log: log)
        var records: [FaultRecord] = []
        for (index, fault) in schedule.enumerated() {
            log("fault \(index + 1)/\(schedule.count): \(fault)")
            let record = try await injector.inject(fault)
            log("  \(record.recoverySeconds.map { String(format: "recovered in %.1f s", $0) } ?? "NOT RECOVERED")"
                + (record.note.isEmpty ? "" : " (\(record.note))"))
            records.append(record)
            if record.recoverySeconds == nil {
                // Later faults would land on a cluster already down and say nothing new.
                log("fault \(index + 1) was not recovered from: no more faults; on to the audit")
                break
            }
            try await Task.sleep(for: .milliseconds(FaultSchedule.gap(profile: profile, seed: seed, index: index)))
        }

        log("faults done; stopping the load (in-flight transactions are chased to the end)")
        load.stop()
        await loadTask.value
        mesh.healAll()
        for node in await devnet.collectExits() { try await devnet.start(node) }
        let converged = await observer.waitConverged()
        log(converged ? "all nodes agree on one head" : "nodes do NOT converge on one head")

        let book = load.book
        let acknowledged = await book.acknowledged
        let invoices = await book.invoices.map(\.description)
        log("reading back \(acknowledged.count) acknowledged transactions and \(invoices.count) invoices from every node")
        var observations: [NodeObservation] = []
        var failure: String?
        for node in 1...4 {
            // A node that cannot be read back fails the campaign, but the
            // report keeps what the faults and the load did.
            do { observations.append(try await observer.observe(node: node, invoices: invoices)) } catch {
                failure = "reading back node\(node): \(error)"
                break
            }
        }
        let wiped = Set(records.filter { $0.kind == .wipe }.flatMap(\.nodes))
        let audit = failure == nil ? CampaignAudit(acknowledged: acknowledged, observations: observations, wiped: wiped) : nil
        return ChaosReport(
            profile: profile, seed: seed, build: BenchOutput.build, durationSeconds: (ContinuousClock.now - began).seconds,
            faults: records, submitted: await book.submitted, acknowledged: acknowledged.count,
            unacknowledged: await book.unacknowledged.count, shed: await book.shed, invoicesIssued: invoices.count,
            reimbursementPairs: await book.reimbursementPairs, pairsWithOneAccepted: await book.pairsWithOneAccepted,
            finalHeight: observations.map(\.height).max() ?? 0, converged: converged,
            unexpectedExits: await devnet.unexpectedExits, skipped: skipped, audit: audit, failure: failure)
    }
}
