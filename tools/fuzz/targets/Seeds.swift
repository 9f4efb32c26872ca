import CivicClient
import Consensus
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerStore
import StateTree

/// Valid inputs to start each target from, so the fuzzer begins inside the
/// formats rather than at random bytes. Keys are made fresh and thrown away;
/// only public data (a signed transaction) is written.
public enum Seeds {
    public static func write(to directory: String) throws -> Int {
        var written = 0
        func save(_ target: FuzzTarget, _ name: String, _ bytes: [UInt8]) throws {
            let folder = URL(fileURLWithPath: directory).appendingPathComponent(target.rawValue)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(bytes).write(to: folder.appendingPathComponent(name))
            written += 1
        }
        let suite = CryptoSuites.standard
        let chain = ChainParameters(chainID: ChainID("civic-devnet")!, suite: suite)
        let admin = try suite.generatePrivateKey()
        let office = try suite.generatePrivateKey()
        let registration = try Registration(subject: .office(OfficeID("futian-counter-1")!), name: "窗口 1", key: office.publicKey.compressed)
        let signed = try LedgerOperation.register(registration).signed(by: admin, chain: chain, nonce: 1, expiryHeight: Height(100))
        let invoice = try InvoiceIssue(
            invoice: InvoiceID(code: "144031900111", number: "00000001")!, buyer: TaxpayerID("91440300MA5G000001")!,
            amountFen: 1_000_000, taxFen: 60_000, documentDigest: suite.digest(Array("invoice".utf8)))
        let invoiceTx = try LedgerOperation.issueInvoice(invoice).signed(by: admin, chain: chain, nonce: 2, expiryHeight: Height(100))
        try save(.transaction, "register-office", Canonical.encode(signed))
        try save(.transaction, "issue-invoice", Canonical.encode(invoiceTx))
        let leaves = [signed, invoiceTx].map { Canonical.encode($0) }
        let header = BlockHeader(
            chainID: chain.chainID, height: Height(1), previousHash: suite.digest([0]), timestampMillis: 1_796_400_000_000,
            transactionsRoot: MerkleTree(leaves: leaves, hash: suite).root, stateRoot: suite.digest([1]),
            proposer: suite.address(of: admin.publicKey))
        try save(.block, "two-transactions", Canonical.encode(try Block(header: header, transactions: [signed, invoiceTx])))
        try save(.consensus, "request", Canonical.encode(ConsensusMessage.request(Canonical.encode(signed))))
        let request = try ConsentRequest(
            chainID: chain.chainID, office: OfficeID("futian-counter-1")!,
            licenceTypes: [try LicenceTypeCode("RESIDENT_ID_CARD"), try LicenceTypeCode("BUSINESS_LICENCE")],
            purpose: "企业开户 open an account", notAfterMillis: 1_796_400_000_000, maxUses: 2, nonce: 7)
        try save(.consentRequest, "two-licences", Array(request.payload.utf8))
        try save(.apiJSON, "verify", Array(#"{"licence":"\#(String(repeating: "ab", count: 32))","documentDigest":"\#(String(repeating: "cd", count: 32))","consent":"\#(String(repeating: "ef", count: 32))","office":"futian-counter-1"}"#.utf8))
        try save(.apiJSON, "submit", Array(#"{"transaction":"\#(Hex.encode(Canonical.encode(signed)))"}"#.utf8))
        try save(.apiJSON, "status", Array(#"{"nodeName":"node1","replica":0,"chainID":"civic-devnet","suite":"standard","height":10,"blockHash":"aa","stateRoot":"bb","blockTimeMillis":1000,"view":0,"primary":0,"changingView":false,"connectedPeers":[1,2,3],"mempoolSize":0}"#.utf8))
        // A state proof: root ‖ key ‖ proof, as the target reads it, for a key that is present.
        let column = try ColumnFamily("tree")
        let store = InMemoryStore(columnFamilies: [column])
        let tree = StateTree(columnFamily: column, hash: suite)
        let keys = (0..<3).map { [UInt8](repeating: UInt8($0), count: 32) }
        var batch = WriteBatch()
        let root = try tree.update(Dictionary(uniqueKeysWithValues: keys.map { ($0, Optional([UInt8(1), 2, 3])) }), reader: store, batch: &batch)
        try store.write(batch, sync: false)
        try save(.stateProof, "present", root.bytes + keys[1] + Canonical.encode(try tree.prove(keys[1], in: store)))
        try save(.stateProof, "absent", root.bytes + [UInt8](repeating: 9, count: 32) + Canonical.encode(try tree.prove([UInt8](repeating: 9, count: 32), in: store)))
        for (name, bytes) in try PeerFrameTarget.seeds(request: Canonical.encode(signed)) { try save(.peerFrame, name, bytes) }
        if let fixture = ProvenAnswerTarget.fixture {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try save(.provenAnswer, "honest-absent-licence", Array(try encoder.encode(try fixture.honestAnswer())))
        }
        let genesis = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Genesis/devnet.toml")
        if let text = FileManager.default.contents(atPath: genesis.path) { try save(.genesis, "devnet", Array(text)) }
        return written
    }
}
