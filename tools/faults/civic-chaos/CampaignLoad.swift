import ChaosKit
import CivicClient
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import Synchronization

/// The continuous load of a campaign: invoice lifecycles that each end in two
/// reimbursements of the same invoice sent to two different nodes at once
/// (exactly one may be accepted), and a steady stream of licence issues and
/// office registrations. Runs until `stop()`; every transaction it sends ends
/// acknowledged or explicitly unacknowledged in the ledgerbook.
final class CampaignLoad: Sendable {
    let sender: ClusterSender
    let book = Ledgerbook()
    let profile: CampaignProfile
    private let taxAdmin: PrivateKey
    private let licenceAdmin: PrivateKey
    private let officeAdmin: PrivateKey
    private let running = Atomic<Bool>(true)
    /// Stream transactions in flight now.
    private let streaming = Atomic<Int>(0)
    /// Stream transactions in flight at most; beyond it a tick is shed (and counted).
    static let streamInFlight = 64

    init(sender: ClusterSender, profile: CampaignProfile, devnet: CampaignDevnet) throws {
        self.sender = sender
        self.profile = profile
        taxAdmin = try devnet.adminKey("tax")
        licenceAdmin = try devnet.adminKey("psb")
        officeAdmin = try devnet.adminKey("gsdmb")
    }

    var isRunning: Bool { running.load(ordering: .relaxed) }

    func stop() { running.store(false, ordering: .relaxed) }

    /// Runs every worker until `stop()`; returns when the last in-flight transaction ended.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<profile.invoiceWorkers {
                group.addTask { await self.invoiceWorker(worker) }
            }
            group.addTask { await self.stream() }
        }
    }

    private func node(_ n: Int) -> Int { n % 4 + 1 }

    // MARK: Invoices

    private func invoiceWorker(_ worker: Int) async {
        let suite = sender.chain.suite
        guard let seller = try? suite.generatePrivateKey(), let buyer = try? suite.generatePrivateKey() else { return }
        let sellerID = TaxpayerID(String(format: "91440300000%02d%05d", worker, 1))!
        let buyerID = TaxpayerID(String(format: "91440300000%02d%05d", worker, 2))!
        // Registration is retried until acknowledged: nothing else can run without it.
        for (id, key) in [(sellerID, seller), (buyerID, buyer)] {
            var registered = false
            for _ in 0..<10 where !registered && isRunning {
                guard let transaction = try? sender.sign(
                    .register(Registration(subject: .taxpayer(id), name: "chaos \(id)", key: key.publicKey.compressed)), by: taxAdmin)
                else { return }
                let receipt = await book.record(await sender.commit(transaction, preferring: node(worker)))
                registered = receipt?.accepted == true || receipt?.code == "TAXPAYER_DUPLICATE"
            }
            guard registered else { return }
        }
        var serial = 0
        while isRunning, serial < 1_000_000 {
            serial += 1
            let id = InvoiceID(code: "1440324001", number: String(format: "%02d%08d", worker, serial))!
            guard let issue = try? InvoiceIssue(
                invoice: id, buyer: buyerID, amountFen: UInt64(serial % 100_000 + 1), taxFen: 600,
                documentDigest: suite.digest(Array("chaos invoice \(id)".utf8))),
                let issued = try? sender.sign(.issueInvoice(issue), by: seller)
            else { return }
            guard await book.record(await sender.commit(issued, preferring: node(worker + serial)))?.accepted == true else { continue }
            await book.invoiceIssued(id)
            guard let claim = try? sender.sign(.claimInvoice(InvoiceAction(invoice: id)), by: buyer),
                  await book.record(await sender.commit(claim, preferring: node(worker + serial + 1)))?.accepted == true
            else { continue }
            // Two reimbursements of the same invoice, different ids, two nodes, at once.
            guard let first = try? sender.sign(.reimburseInvoice(InvoiceAction(invoice: id, reason: "报销 A")), by: buyer),
                  let second = try? sender.sign(.reimburseInvoice(InvoiceAction(invoice: id, reason: "报销 B")), by: buyer)
            else { return }
            let (nodeA, nodeB) = (node(serial), node(serial + 2))
            async let a = sender.commit(first, preferring: nodeA)
            async let b = sender.commit(second, preferring: nodeB)
            let (ra, rb) = await (a, b)
            let receipts = [await book.record(ra, invoice: id), await book.record(rb, invoice: id)]
            await book.reimbursementPair(
                accepted: receipts.filter { $0?.accepted == true }.count, bothAcknowledged: receipts.allSatisfy { $0 != nil })
        }
    }

    // MARK: Stream

    private func stream() async {
        let suite = sender.chain.suite
        let interval = Duration.milliseconds(max(1, 1_000 / max(1, profile.streamPerSecond)))
        await withTaskGroup(of: Void.self) { group in
            var n = 0
            while isRunning {
                n += 1
                if streaming.load(ordering: .relaxed) >= Self.streamInFlight {
                    await book.shedOne()
                } else if let transaction = try? makeStreamTransaction(n, suite: suite) {
                    streaming.add(1, ordering: .relaxed)
                    let preferred = node(n)
                    group.addTask {
                        _ = await self.book.record(await self.sender.commit(transaction, preferring: preferred))
                        self.streaming.subtract(1, ordering: .relaxed)
                    }
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    private func makeStreamTransaction(_ n: Int, suite: any CryptoSuite) throws -> SignedTransaction {
        if n % 2 == 0 {
            let office = try suite.generatePrivateKey()
            return try sender.sign(
                .register(Registration(subject: .office(OfficeID("chaos-\(n)")!), name: "chaos office \(n)", key: office.publicKey.compressed)),
                by: officeAdmin)
        }
        let holder = try suite.generatePrivateKey()
        let issue = LicenceIssue(
            licenceType: try LicenceTypeCode("RESIDENT_ID_CARD"), holderKey: holder.publicKey.compressed,
            holderCommitment: suite.digest(Array("holder \(n)".utf8)), documentDigest: suite.digest(Array("document \(n)".utf8)),
            validFrom: 1_767_225_600_000, validUntil: LicenceIssue.longTerm)
        return try sender.sign(.issueLicence(issue), by: licenceAdmin)
    }
}
