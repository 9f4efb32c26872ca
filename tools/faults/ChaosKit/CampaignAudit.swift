/// A transaction some node confirmed as committed during the campaign: its
/// receipt code as that node gave it.
public struct Acknowledged: Sendable, Codable, Hashable {
    public let txid: String
    public let code: String
    /// `reimburseInvoice`, `issueLicence`, … (the receipt's kind name).
    public let kind: String
    /// The invoice (`code-number`) a reimbursement named, so competing ones can be compared.
    public let invoice: String?

    public init(txid: String, code: String, kind: String, invoice: String? = nil) {
        self.txid = txid
        self.code = code
        self.kind = kind
        self.invoice = invoice
    }
}

/// What one node answered once every fault was healed and the load had stopped.
public struct NodeObservation: Sendable, Hashable {
    public let node: Int
    public let height: UInt64
    public let stateRoot: String
    /// Receipt code per acknowledged txid; a txid the node has no receipt for is absent.
    public let receipts: [String: String]
    /// Block hash per height, for the heights the node served.
    public let blockHashes: [UInt64: String]
    /// Per invoice (`code-number`), the statuses of its history, oldest first.
    public let invoiceHistories: [String: [String]]
    /// The offences this node charges its peers (`peerOffences` of its status):
    /// 1-based peer node and reason, with a count.
    public let offences: [Offence]

    public struct Offence: Sendable, Codable, Hashable {
        public let peer: Int
        public let reason: String
        public let count: UInt64

        public init(peer: Int, reason: String, count: UInt64) {
            self.peer = peer
            self.reason = reason
            self.count = count
        }
    }

    public init(
        node: Int, height: UInt64, stateRoot: String, receipts: [String: String], blockHashes: [UInt64: String],
        invoiceHistories: [String: [String]], offences: [Offence] = []
    ) {
        self.node = node
        self.height = height
        self.stateRoot = stateRoot
        self.receipts = receipts
        self.blockHashes = blockHashes
        self.invoiceHistories = invoiceHistories
        self.offences = offences
    }
}

/// The end-of-campaign verdict: every acknowledged transaction on every node
/// with the same receipt, one head and one chain of block hashes everywhere,
/// and no invoice reimbursed twice. Pure, so it is tested on made-up
/// observations, including each kind of failure it must catch.
public struct CampaignAudit: Sendable, Codable, Hashable {
    public struct Missing: Sendable, Codable, Hashable {
        public let txid: String
        public let nodes: [Int]
    }

    public struct Mismatch: Sendable, Codable, Hashable {
        public let txid: String
        public let node: Int
        public let acknowledged: String
        public let found: String
    }

    public let acknowledged: Int
    /// How many acknowledged transactions some node has no receipt for: lost.
    public let lostCount: Int
    /// Examples of them (at most `examples`).
    public let lost: [Missing]
    public let mismatchedCount: Int
    /// Acknowledged transactions a node holds with a different outcome.
    public let mismatched: [Mismatch]
    public let headsAgree: Bool
    public let heads: [String]
    /// Heights at which two nodes hold different blocks.
    public let forkedHeights: [UInt64]
    public let heightsCompared: Int
    /// Invoices reimbursed more than once: in some node's history, or by two accepted transactions.
    public let doubleReimbursed: [String]
    /// Invoices whose history differs between nodes.
    public let divergentInvoices: [String]
    public let invoicesChecked: Int
    /// Offences one node charged another (`nodeX charged nodeY: reason × n`). Every
    /// node of a campaign is honest, so each is a false accusation, save one:
    /// a node whose data folder was wiped forgot its votes and may really
    /// have voted twice (docs/operations.md), and is named in `excusedOffences`.
    public let falseAccusations: [String]
    public let excusedOffences: [String]

    public var passed: Bool {
        lostCount == 0 && mismatchedCount == 0 && headsAgree && forkedHeights.isEmpty && doubleReimbursed.isEmpty
            && divergentInvoices.isEmpty && falseAccusations.isEmpty
    }

    /// Bound on the examples each list keeps (the counts are in the totals).
    static let examples = 20

    public init(acknowledged acks: [Acknowledged], observations: [NodeObservation], wiped: Set<Int> = []) {
        precondition(!observations.isEmpty, "an audit needs at least one node's observation")
        acknowledged = acks.count
        var lost: [Missing] = []
        var mismatched: [Mismatch] = []
        var lostCount = 0
        var mismatchCount = 0
        for ack in acks {
            let missing = observations.filter { $0.receipts[ack.txid] == nil }.map(\.node)
            if !missing.isEmpty {
                lostCount += 1
                if lost.count < Self.examples { lost.append(Missing(txid: ack.txid, nodes: missing)) }
            }
            for observation in observations {
                if let found = observation.receipts[ack.txid], found != ack.code {
                    mismatchCount += 1
                    if mismatched.count < Self.examples {
                        mismatched.append(Mismatch(txid: ack.txid, node: observation.node, acknowledged: ack.code, found: found))
                    }
                }
            }
        }
        self.lostCount = lostCount
        self.mismatchedCount = mismatchCount
        self.lost = lost
        self.mismatched = mismatched

        let heads = observations.map { "node\($0.node) \($0.height) \($0.stateRoot)" }
        self.heads = heads
        headsAgree = Set(observations.map { "\($0.height) \($0.stateRoot)" }).count == 1

        var forked: [UInt64] = []
        var compared = 0
        let heights = Set(observations.flatMap(\.blockHashes.keys)).sorted()
        for height in heights {
            let hashes = observations.compactMap { $0.blockHashes[height] }
            guard hashes.count >= 2 else { continue }
            compared += 1
            if Set(hashes).count > 1 { forked.append(height) }
        }
        forkedHeights = forked
        heightsCompared = compared

        var double = Set<String>()
        var accepted: [String: Int] = [:]
        for ack in acks where ack.kind == "reimburseInvoice" && ack.code == "OK" {
            if let invoice = ack.invoice { accepted[invoice, default: 0] += 1 }
        }
        for (invoice, count) in accepted where count > 1 { double.insert(invoice) }
        var divergent = Set<String>()
        let invoices = Set(observations.flatMap(\.invoiceHistories.keys))
        for invoice in invoices {
            let histories = observations.compactMap { $0.invoiceHistories[invoice] }
            if histories.contains(where: { $0.filter { $0 == "reimbursed" }.count > 1 }) { double.insert(invoice) }
            if Set(histories).count > 1 || histories.count != observations.count { divergent.insert(invoice) }
        }
        var accusations: [String] = []
        var excused: [String] = []
        for observation in observations {
            for offence in observation.offences {
                let line = "node\(observation.node) charged node\(offence.peer): \(offence.reason) × \(offence.count)"
                if offence.reason == "equivocation" && wiped.contains(offence.peer) {
                    excused.append(line)
                } else {
                    accusations.append(line)
                }
            }
        }
        falseAccusations = accusations
        excusedOffences = excused
        doubleReimbursed = double.sorted()
        divergentInvoices = divergent.sorted()
        invoicesChecked = invoices.count
    }
}
