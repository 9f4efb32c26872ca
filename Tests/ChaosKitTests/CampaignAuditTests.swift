import Testing

@testable import ChaosKit

@Suite struct CampaignAuditTests {
    let acks = [
        Acknowledged(txid: "a", code: "OK", kind: "issueLicence"),
        Acknowledged(txid: "b", code: "INVOICE_ALREADY_REIMBURSED", kind: "reimburseInvoice", invoice: "1440324001-0100000001"),
        Acknowledged(txid: "c", code: "OK", kind: "reimburseInvoice", invoice: "1440324001-0100000001"),
    ]

    func node(
        _ n: Int, height: UInt64 = 3, root: String = "r3", receipts: [String: String]? = nil, hashes: [UInt64: String]? = nil,
        history: [String]? = ["issued", "claimed", "reimbursed"]
    ) -> NodeObservation {
        NodeObservation(
            node: n, height: height, stateRoot: root,
            receipts: receipts ?? ["a": "OK", "b": "INVOICE_ALREADY_REIMBURSED", "c": "OK", "x": "REPLAY"],
            blockHashes: hashes ?? [1: "h1", 2: "h2", 3: "h3"],
            invoiceHistories: history.map { ["1440324001-0100000001": $0] } ?? [:])
    }

    @Test func agreeingNodesPass() {
        let audit = CampaignAudit(acknowledged: acks, observations: (1...4).map { node($0) })
        #expect(audit.passed)
        #expect(audit.acknowledged == 3)
        #expect(audit.heightsCompared == 3)
        #expect(audit.invoicesChecked == 1)
    }

    @Test func aTransactionMissingOnOneNodeIsLost() {
        let audit = CampaignAudit(
            acknowledged: acks,
            observations: [node(1), node(2), node(3), node(4, receipts: ["b": "INVOICE_ALREADY_REIMBURSED", "c": "OK"])])
        #expect(!audit.passed)
        #expect(audit.lostCount == 1)
        #expect(audit.lost == [CampaignAudit.Missing(txid: "a", nodes: [4])])
    }

    @Test func aDifferentOutcomeIsAMismatch() {
        let audit = CampaignAudit(
            acknowledged: acks,
            observations: [node(1), node(2, receipts: ["a": "OK", "b": "OK", "c": "OK"]), node(3), node(4)])
        #expect(!audit.passed)
        #expect(audit.mismatchedCount == 1)
        #expect(audit.mismatched.first?.node == 2)
        #expect(audit.mismatched.first?.found == "OK")
    }

    @Test func differentHeadsOrBlocksAreCaught() {
        let heads = CampaignAudit(acknowledged: acks, observations: [node(1), node(2), node(3), node(4, root: "other")])
        #expect(!heads.passed)
        #expect(!heads.headsAgree)
        let fork = CampaignAudit(
            acknowledged: acks, observations: [node(1), node(2), node(3, hashes: [1: "h1", 2: "evil", 3: "h3"]), node(4)])
        #expect(!fork.passed)
        #expect(fork.forkedHeights == [2])
    }

    @Test func twoAcceptedReimbursementsOfOneInvoiceAreCaught() {
        let twice = acks.map { $0.txid == "b" ? Acknowledged(txid: "b", code: "OK", kind: "reimburseInvoice", invoice: $0.invoice) : $0 }
        let receipts = ["a": "OK", "b": "OK", "c": "OK"]
        let audit = CampaignAudit(acknowledged: twice, observations: (1...4).map { node($0, receipts: receipts) })
        #expect(!audit.passed)
        #expect(audit.doubleReimbursed == ["1440324001-0100000001"])
    }

    @Test func aHistoryWithTwoReimbursementsIsCaught() {
        let audit = CampaignAudit(
            acknowledged: acks, observations: (1...4).map { node($0, history: ["issued", "claimed", "reimbursed", "reimbursed"]) })
        #expect(!audit.passed)
        #expect(audit.doubleReimbursed == ["1440324001-0100000001"])
    }

    @Test func historiesThatDifferOrAreMissingAreCaught() {
        let differ = CampaignAudit(
            acknowledged: acks, observations: [node(1), node(2), node(3), node(4, history: ["issued", "claimed"])])
        #expect(!differ.passed)
        #expect(differ.divergentInvoices == ["1440324001-0100000001"])
        let missing = CampaignAudit(acknowledged: acks, observations: [node(1), node(2), node(3), node(4, history: nil)])
        #expect(!missing.passed)
        #expect(missing.divergentInvoices == ["1440324001-0100000001"])
    }

    @Test func examplesAreBoundedButTheCountIsNot() {
        let many = (0..<100).map { Acknowledged(txid: "t\($0)", code: "OK", kind: "issueLicence") }
        let audit = CampaignAudit(acknowledged: many, observations: [node(1)])
        #expect(audit.lostCount == 100)
        #expect(audit.lost.count == CampaignAudit.examples)
    }
}

@Suite struct CampaignOffenceAuditTests {
    func node(_ n: Int, offences: [NodeObservation.Offence]) -> NodeObservation {
        NodeObservation(
            node: n, height: 1, stateRoot: "r", receipts: [:], blockHashes: [1: "h"], invoiceHistories: [:], offences: offences)
    }

    @Test func anyOffenceChargedToAnHonestNodeFailsTheCampaign() {
        let audit = CampaignAudit(
            acknowledged: [],
            observations: [node(1, offences: [.init(peer: 3, reason: "badSignature", count: 2)]), node(2, offences: [])])
        #expect(!audit.passed)
        #expect(audit.falseAccusations == ["node1 charged node3: badSignature × 2"])
    }

    @Test func onlyAnEquivocationByAWipedNodeIsExcused() {
        let offences: [NodeObservation.Offence] = [.init(peer: 4, reason: "equivocation", count: 1)]
        let excused = CampaignAudit(acknowledged: [], observations: [node(1, offences: offences)], wiped: [4])
        #expect(excused.passed)
        #expect(excused.excusedOffences.count == 1)
        let notWiped = CampaignAudit(acknowledged: [], observations: [node(1, offences: offences)], wiped: [2])
        #expect(!notWiped.passed)
        let otherReason = CampaignAudit(
            acknowledged: [], observations: [node(1, offences: [.init(peer: 4, reason: "malformed", count: 1)])], wiped: [4])
        #expect(!otherReason.passed)
    }
}
