import Foundation
import LedgerCore
import NodeAPIModel
import Testing

/// `--trustless` against a lying proxy in front of an honest devnet node: the
/// honest answer passes, and every lie the acceptance list names is refused
/// with a reason that says what was wrong.
@Suite("Trustless reads through a lying proxy", .serialized)
struct TrustlessTests {
    @Test("counter verify --trustless: each lie is refused with its reason; the honest answer is VERIFIED")
    func counterCheck() async throws {
        let net = try DevnetHarness()
        defer { net.tearDown() }
        try net.startAll()
        try await net.wait("four nodes answering") { await (1...4).asyncAll { await net.head($0) != nil } }
        let cli = CivicCLI(net: net)
        for name in ["office", "holder"] { try await cli.newKey(name) }
        let holderKey = try await cli.publicKey("holder")
        try await cli.commit(["registry", "register", "--key", cli.admin("gsdmb"), "--role", "office", "--id", "trust-counter", "--name", "窗口", "--subject-key", try await cli.publicKey("office")])
        let idCardFile = try cli.document("id-card.txt", "居民身份证 王五")
        let idCard = try await cli.commit([
            "licence", "issue", "--key", cli.admin("psb"), "--type", "RESIDENT_ID_CARD", "--holder", holderKey,
            "--id-number", "440305199001015678", "--document", idCardFile, "--long-term",
        ]).details["licence"]!
        let business = try await cli.commit([
            "licence", "issue", "--key", cli.admin("samr"), "--type", "BUSINESS_LICENCE", "--holder", holderKey,
            "--id-number", "91440300MA5G000077", "--document", idCardFile, "--long-term",
        ]).details["licence"]!
        let request = try await cli.json(["counter", "request", "--office", "trust-counter", "--types", "RESIDENT_ID_CARD", "--purpose", "核验", "--uses", "40"])
        let consent = try await cli.commit(["holder", "grant", "--key", cli.key("holder"), "--yes", try #require(request["payload"] as? String)]).details["consent"]!

        let proxy = LyingProxy(upstream: URL(string: cli.node)!)
        try await proxy.start()
        defer { proxy.stop() }
        let verify = [
            "counter", "verify", "--key", cli.key("office"), "--office", "trust-counter", "--licence", idCard,
            "--document", idCardFile, "--consent", consent, "--trustless", "--genesis", net.genesisPath,
        ]

        proxy.tell(.none)
        let honest = try await cli.runOffPool(verify + ["--json"], node: proxy.url)
        #expect(honest.status == 0, "\(honest.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(honest.stdout.utf8)) as? [String: Any]
        #expect(object?["result"] as? String == "VERIFIED")
        #expect(((object?["trustless"] as? [String: Any])?["signers"] as? [Int])?.count ?? 0 >= 3)
        let checks = ((object?["verdict"] as? [String: Any])?["checks"] as? [[String: Any]]) ?? []
        #expect(checks.contains { $0["name"] as? String == "use-recorded" && $0["passed"] as? Bool == true })
        let oldAnswer = try #require(proxy.lastProvenAnswer("/v1/verify"))

        // A genuine proof, from the same node, of another licence of the holder.
        let other = try JSONDecoder().decode(
            ProvenStateView.self, from: try await net.request(1, "GET", "/v1/licences/\(business)?proof=true").body)
        let lies: [(LyingProxy.Lie, [String])] = [
            (.tamperedValue, ["does not show the value given"]),
            (.absenceClaim, ["does not show its absence"]),
            (.renamedKey([0x05] + (Hex.decode(business) ?? [])), ["licence 05", "does not show the value given"]),
            (.otherEntry(other.entries[0]), ["licence 05"]),
            (.shortCertificate, ["2 signers; 3 are needed"]),
            (.unknownSigner, ["signer 9 is not a validator"]),
            (.duplicateSigner, ["appears more than once"]),
            (.forgedSignature, ["does not verify"]),
            (.freshenedHeader, ["for another block"]),
            (.replay(oldAnswer), ["below the"]),
        ]
        for (lie, reasons) in lies {
            proxy.tell(lie, on: "/v1/verify")
            let result = try await cli.runOffPool(verify + ["--json"], node: proxy.url)
            let line = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["result"] as? String ?? ""
            #expect(result.status == 1, "\(lie): exit \(result.status) \(result.stderr)")
            #expect(line.hasPrefix("REFUSED: UNTRUSTED_ANSWER: "), "\(lie): \(line) \(result.stderr)")
            for reason in reasons { #expect(line.contains(reason), "\(lie): \(line)") }
        }
        // A forged receipt of the use: the node claims a use it did not record.
        proxy.tell(.tamperedValue, on: "/v1/transactions/")
        let forgedUse = try await cli.runOffPool(verify + ["--json"], node: proxy.url)
        let forgedLine = (try? JSONSerialization.jsonObject(with: Data(forgedUse.stdout.utf8)) as? [String: Any])?["result"] as? String ?? ""
        #expect(forgedUse.status == 1 && forgedLine.contains("UNTRUSTED_ANSWER: the proof for state key receipt"), "\(forgedLine)")
        // Without --json the reason is the last line a clerk reads.
        proxy.tell(.shortCertificate, on: "/v1/verify")
        let text = try await cli.runOffPool(verify, node: proxy.url)
        #expect(text.status == 1 && text.lines.last?.contains("REFUSED: UNTRUSTED_ANSWER: the block certificate is not valid") == true, "\(text.stdout)")
    }

    @Test("audit trace --trustless: a hidden or altered step and a replayed old answer are refused; the honest trace passes")
    func auditTrace() async throws {
        let net = try DevnetHarness()
        defer { net.tearDown() }
        try net.startAll()
        try await net.wait("four nodes answering") { await (1...4).asyncAll { await net.head($0) != nil } }
        let cli = CivicCLI(net: net)
        for name in ["seller", "buyer"] { try await cli.newKey(name) }
        let seller = "91440300MA5G0000S1"
        let buyer = "91440300MA5G0000B2"
        try await cli.commit(["registry", "register", "--key", cli.admin("tax"), "--role", "taxpayer", "--id", seller, "--name", "卖方", "--subject-key", try await cli.publicKey("seller")])
        try await cli.commit(["registry", "register", "--key", cli.admin("tax"), "--role", "taxpayer", "--id", buyer, "--name", "买方", "--subject-key", try await cli.publicKey("buyer")])
        let document = try cli.document("invoice.xml", "<invoice/>")
        try await cli.commit(["invoice", "issue", "--key", cli.key("seller"), "--code", "144031900111", "--number", "00000042",
                        "--buyer", buyer, "--amount", "500.00", "--document", document])
        try await cli.commit(["invoice", "claim", "--key", cli.key("buyer"), "144031900111", "00000042"])
        try await cli.commit(["invoice", "reimburse", "--key", cli.key("buyer"), "144031900111", "00000042"])

        let proxy = LyingProxy(upstream: URL(string: cli.node)!)
        try await proxy.start()
        defer { proxy.stop() }
        // A generous bound: these runs test the proofs, not how fast this machine is;
        // the replay below tests the bound.
        let trace = ["audit", "trace", "144031900111", "00000042", "--trustless", "--genesis", net.genesisPath, "--max-age", "10m"]

        let honest = try await cli.runOffPool(trace + ["--json"], node: proxy.url)
        #expect(honest.status == 0, "\(honest.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(honest.stdout.utf8)) as? [String: Any]
        let steps = ((object?["trace"] as? [String: Any])?["trace"] as? [[String: Any]])?.compactMap { $0["status"] as? String }
        #expect(steps == ["issued", "claimed", "reimbursed"])
        // The invoice's absence, where there is none, is a proven "no".
        let absent = try await cli.runOffPool(
            ["audit", "trace", "144031900111", "99999999", "--trustless", "--genesis", net.genesisPath, "--max-age", "10m"], node: proxy.url)
        #expect(absent.status == 1 && absent.stderr.contains("its absence is proven"), "\(absent.stderr)")

        let refusals: [(LyingProxy.Lie, String)] = [
            (.droppedLastEntry, "carries no proof for state key invoice event"),  // the reimbursement hidden
            (.tamperedValue, "does not show the value given"),
            (.absenceClaim, "does not show its absence"),
        ]
        for (lie, reason) in refusals {
            proxy.tell(lie)
            let result = try await cli.runOffPool(trace, node: proxy.url)
            #expect(result.status == 1, "\(lie): exit \(result.status)")
            #expect(result.stderr.contains("REFUSED: UNTRUSTED_ANSWER") && result.stderr.contains(reason), "\(lie): \(result.stderr)")
        }

        // Replay: the honest answer again once its block is older than the bound,
        // after the chain has moved on (so the node's own answer is at a later block).
        let old = try #require(proxy.lastProvenAnswer("/v1/invoices/144031900111/00000042"))
        let header = try Canonical.decode(
            BlockHeader.self, from: Hex.decode(try JSONDecoder().decode(ProvenStateView.self, from: old).header) ?? [])
        try await net.wait("the answer's block to be over a second old", seconds: 30) {
            UInt64(Date().timeIntervalSince1970 * 1000) > header.timestampMillis + 1_500
        }
        let later = try await net.submit(via: 1)
        _ = try await net.waitForAgreement([later], on: [1, 2, 3, 4])
        proxy.tell(.replay(old))
        let replayed = try await cli.runOffPool(
            ["audit", "trace", "144031900111", "00000042", "--trustless", "--genesis", net.genesisPath, "--max-age", "1s"], node: proxy.url)
        #expect(replayed.status == 1 && replayed.stderr.contains("the freshness bound is 1 s"), "\(replayed.stderr)")
        #expect(replayed.stderr.contains("(height \(header.height))"), "the refusal names the replayed block: \(replayed.stderr)")
        proxy.tell(.none)
        let current = try await cli.runOffPool(trace + ["--json"], node: proxy.url)
        let currentHeight = ((try? JSONSerialization.jsonObject(with: Data(current.stdout.utf8)) as? [String: Any])?["trustless"] as? [String: Any])?["height"] as? Int
        #expect(current.status == 0 && (currentHeight ?? 0) > Int(header.height.value), "\(current.stdout) \(current.stderr)")
    }
}

extension CivicCLI {
    /// Runs civic against `node` on a thread of its own: a proxy in this
    /// process answers it on the cooperative pool, which a blocked wait for
    /// the child must not occupy.
    func runOffPool(_ arguments: [String], node: String) async throws -> CommandResult {
        try await runExecutableOffPool("civic", arguments + ["--node", node, "--wait", "90"])
    }
}

extension DevnetHarness {
    var genesisPath: String { directory.path("net/genesis.toml") }
}
