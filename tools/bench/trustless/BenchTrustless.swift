import ArgumentParser
import BenchSupport
import CivicClient
import Foundation
import GenesisFile
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPIModel

/// What `--trustless` adds to a counter check on a running devnet: the plain
/// check (`POST /v1/verify`, the node's verdict) against the trustless one
/// (`POST /v1/verify?proof=true`, then the certificate, the proofs and the
/// verdict judged locally), and the local checking alone on a captured answer.
@main
struct BenchTrustless: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-trustless",
        abstract: "Measure the time --trustless adds to a counter check against a running devnet.",
        discussion: "Start the devnet first (DEVNET_BUILD=release tools/devnet up for meaningful figures). Issues one licence.")

    @Option(help: "The devnet folder (genesis.toml, nodeI/node.toml, nodeI/admin.key).")
    var devnet = "Nodes"

    @Option(help: "Checks per variant.")
    var checks = 500

    @Option(help: "Write results as JSON to this file.")
    var json = "tools/bench/results/trustless.json"

    func validate() throws {
        guard (10...100_000).contains(checks) else { throw ValidationError("--checks must be in 10...100000") }
    }

    struct Row: Encodable {
        let variant: String
        let checks: Int
        let meanMillis: Double
        let p50Millis: Double
        let p99Millis: Double
        let answerBytes: Int
    }

    struct Report: Encodable {
        let build: String
        let node: String
        let rows: [Row]
        let addedMillisPerCheck: Double
    }

    func run() async throws {
        let genesis = try GenesisFile.load(path: "\(devnet)/genesis.toml").document()
        let psb = try require(genesis.bureaus.firstIndex { $0.id.description == "psb" }, "the devnet has no psb bureau")
        let admin = try KeyFile.load(from: "\(devnet)/node\(psb + 1)/admin.key")
        let node = try BenchDevnet.apiAddress("\(devnet)/node1/node.toml")
        let client = NodeClient(baseURL: URL(string: node)!)
        let sender = TransactionSender(client: client)
        let anchor = try TrustAnchor(genesis: genesis)
        // An hour: the bench measures cost, not freshness, and the chain may be idle.
        let light = LightClient(client: client, anchor: anchor, maxAgeMillis: 3_600_000)

        print("issuing a licence to check …")
        let chain = try await sender.chain()
        let suite = chain.parameters.suite
        let holder = try suite.generatePrivateKey()
        let issue = LicenceIssue(
            licenceType: try LicenceTypeCode("RESIDENT_ID_CARD"), holderKey: holder.publicKey.compressed,
            holderCommitment: suite.digest(Array("bench-salt|440305199001011234".utf8)),
            documentDigest: suite.digest(Array("bench document".utf8)), validFrom: 0, validUntil: LicenceIssue.longTerm)
        let committed = try await sender.send(try sender.sign(.issueLicence(issue), key: admin, chain: chain))
        guard committed.receipt.accepted else { throw ValidationError("the licence was refused: \(committed.receipt.message)") }
        let licence = LicenceID(Digest(unchecked: Hex.decode(committed.txid)!))
        let body = VerifyBody(licence: licence.hex)

        let clock = ContinuousClock()
        func measure(_ name: String, bytes: Int, _ body: () async throws -> Void) async rethrows -> Row {
            for _ in 0..<min(20, checks) { try await body() }  // warm up connections and caches
            var samples: [Double] = []
            for _ in 0..<checks {
                let began = clock.now
                try await body()
                samples.append((clock.now - began).seconds * 1000)
            }
            samples.sort()
            return Row(
                variant: name, checks: checks, meanMillis: samples.reduce(0, +) / Double(samples.count),
                p50Millis: samples[samples.count / 2], p99Millis: samples[min(samples.count - 1, samples.count * 99 / 100)],
                answerBytes: bytes)
        }

        print("measuring \(checks) checks per variant against \(node) …")
        let plainBytes = try JSONEncoder().encode(try await client.verify(body)).count
        let answer = try await client.provenVerify(body, .init(minHeight: committed.receipt.height))
        let provenBytes = try JSONEncoder().encode(answer).count
        let plain = try await measure("node's verdict (POST /v1/verify)", bytes: plainBytes) {
            let verdict = try await client.verify(body)
            guard verdict.passed else { throw ValidationError("the plain check failed") }
        }
        let trustless = try await measure("trustless (proof=true, checked here)", bytes: provenBytes) {
            let (verdict, _) = try await light.counterCheck(licence: licence, presentedDigest: nil, consent: nil, office: nil)
            guard verdict.passed else { throw ValidationError("the trustless check failed") }
        }
        let local = try await measure("local checks only (captured answer)", bytes: provenBytes) {
            let now = UInt64(Date().timeIntervalSince1970 * 1000)
            let proven = try anchor.check(answer, nowMillis: now, maxAgeMillis: 3_600_000) { queries throws(LedgerError) in
                try LedgerStateKey.counterCheck(licence: licence, consent: nil, in: queries)
            }
            let verdict = try proven.queries.verify(VerificationRequest(subject: .licence(licence), presentedDigest: nil, consent: nil, office: nil))
            guard verdict.passed else { throw ValidationError("the local check failed") }
        }
        let rows = [plain, trustless, local]
        print(BenchOutput.table(
            header: ["variant", "checks", "mean ms", "p50 ms", "p99 ms", "answer bytes"],
            rows: rows.map {
                [$0.variant, String($0.checks), String(format: "%.2f", $0.meanMillis), String(format: "%.2f", $0.p50Millis),
                 String(format: "%.2f", $0.p99Millis), String($0.answerBytes)]
            }, textColumns: 1))
        let added = trustless.meanMillis - plain.meanMillis
        print("\n--trustless adds \(String(format: "%.2f", added)) ms per check on average (\(BenchOutput.build) build, \(genesis.bureaus.count) validators)")
        try BenchOutput.write(Report(build: BenchOutput.build, node: node, rows: rows, addedMillisPerCheck: added), to: json)
    }
}

func require<T>(_ value: T?, _ message: String) throws -> T {
    guard let value else { throw ValidationError(message) }
    return value
}
