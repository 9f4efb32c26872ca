import CivicClient
import Consensus
import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerStore
import LedgerTesting
import NodeAPIModel
import Testing

/// `TrustAnchor.check` on answers built from a real ledger and real validator
/// signatures: what an honest node sends passes; each way it can be wrong is
/// named. (The lying-proxy tests in EndToEndTests run the same checks through
/// the CLI against real nodes.)
@Suite struct TrustAnchorTests {
    /// A four-validator chain in memory, one empty block applied, and an
    /// honest proven answer about the bureau set at that block.
    struct Fixture {
        let genesis: GenesisDocument
        let ledger: Ledger
        let nodeKeys: [PrivateKey]
        let header: BlockHeader
        let anchor: TrustAnchor

        init(chainID: String = "civic-anchor", seed: UInt64 = 7) throws {
            let suite = CryptoSuites.standard
            var rng = SeededGenerator(seed: seed)
            func key() throws -> PrivateKey {
                while true { if let key = try? suite.privateKey(rawScalar: rng.bytes(32)) { return key } }
            }
            var bureaus: [Bureau] = []
            var nodeKeys: [PrivateKey] = []
            for id in ["alpha", "beta", "delta", "gamma"] {
                let node = try key()
                nodeKeys.append(node)
                bureaus.append(
                    try Bureau(
                        id: BureauID(id), nameZh: id, nameEn: id, nodeKey: node.publicKey.compressed,
                        adminKey: try key().publicKey.compressed,
                        rights: try BureauRights(licenceTypes: [], registersOffices: false, registersTaxpayers: false, registersAuditors: false)))
            }
            genesis = try GenesisDocument(
                chainID: ChainID(chainID)!, suite: .standard, genesisTimeMillis: 1_767_225_600_000, bureaus: bureaus, licenceTypes: [])
            self.nodeKeys = nodeKeys
            ledger = try Ledger(store: InMemoryStore(columnFamilies: LedgerColumns.all), genesis: genesis)
            let block = try ledger.nextBlock(transactions: [], timeMillis: 1_767_225_601_000, proposer: Address(unchecked: [UInt8](repeating: 1, count: 20)))
            try ledger.apply(block)
            header = block.header
            anchor = try TrustAnchor(genesis: genesis)
        }

        /// Attestations of the applied block by `signers`.
        func certificate(signers: [Int] = [0, 1, 2], cluster other: Digest? = nil) throws -> StateCertificate {
            let head = try ledger.head()
            let suite = CryptoSuites.standard
            let cluster = other ?? suite.digest(Canonical.encode(genesis))
            return StateCertificate(sorting: try signers.map { index in
                let signer = try SuiteSigner(replica: ReplicaID(index), suite: suite, key: nodeKeys[index])
                return SignedAttestation.signing(
                    BlockAttestation(height: head.height.value, blockHash: head.blockHash, stateRoot: head.stateRoot, replica: ReplicaID(index)),
                    with: signer, cluster: cluster)
            })
        }

        func answer(keys: [LedgerStateKey] = [.bureauSet], certificate: StateCertificate? = nil) throws -> ProvenStateView {
            let queries = try ledger.queries()
            defer { queries.close() }
            let entries = try keys.map { key in try ProvenEntryView(proving: key, in: queries) }
            return ProvenStateView(
                height: header.height.value, header: Hex.encode(Canonical.encode(header)),
                certificate: Hex.encode(Canonical.encode(try certificate ?? self.certificate())), entries: entries)
        }

        var now: UInt64 { header.timestampMillis + 1_000 }

        func check(_ answer: ProvenStateView, minHeight: UInt64 = 0, now: UInt64? = nil, keys: [LedgerStateKey] = [.bureauSet]) throws(TrustlessError) -> TrustAnchor.Verified {
            try anchor.check(answer, minHeight: minHeight, nowMillis: now ?? self.now, maxAgeMillis: 60_000) { _ in keys }
        }
    }

    @Test func anHonestAnswerPassesAndReadsOnlyProvenValues() throws {
        let fixture = try Fixture()
        let verified = try fixture.check(try fixture.answer())
        #expect(verified.height == 1 && verified.signers == [0, 1, 2])
        #expect(verified.stateRoot == (try fixture.ledger.head().stateRoot))
        #expect(try verified.queries.bureauIDs().map(\.value) == ["alpha", "beta", "delta", "gamma"])
        // A bureau record was not proven: reading it fails instead of reading "absent".
        #expect(throws: LedgerError.self) { try verified.queries.bureaus() }
    }

    @Test func theAnswerMustCarryExactlyTheKeysTheQuestionNeeds() throws {
        let fixture = try Fixture()
        let alpha = LedgerStateKey.bureau(try BureauID("alpha"))
        let beta = LedgerStateKey.bureau(try BureauID("beta"))
        let extra = try fixture.answer(keys: [.bureauSet, alpha])
        #expect(throws: TrustlessError.unexpectedKey("bureau " + Hex.encode(alpha.bytes))) {
            try fixture.check(extra)
        }
        let short = try fixture.answer()
        let needed: [LedgerStateKey] = [.bureauSet, beta]
        #expect(throws: TrustlessError.missingKey("bureau " + Hex.encode(beta.bytes))) {
            try fixture.check(short, keys: needed)
        }
    }

    @Test func freshnessHeightAndChainAreChecked() throws {
        let fixture = try Fixture()
        let answer = try fixture.answer()
        #expect(throws: TrustlessError.stale(ageMillis: 61_000, maxAgeMillis: 60_000, height: 1)) {
            try fixture.check(answer, now: fixture.header.timestampMillis + 61_000)
        }
        #expect(throws: TrustlessError.tooLow(height: 1, needed: 2)) { try fixture.check(answer, minHeight: 2) }
        let other = try Fixture(chainID: "civic-other")
        #expect(throws: TrustlessError.wrongChain(expected: "civic-other", found: "civic-anchor")) {
            try other.anchor.check(answer, nowMillis: fixture.now, maxAgeMillis: 60_000) { _ in [.bureauSet] }
        }
    }

    @Test func certificatesOfTooFewOrOtherValidatorsAreRefused() throws {
        let fixture = try Fixture()
        #expect(throws: TrustlessError.certificate(.tooFewSigners(count: 2, needed: 3))) {
            try fixture.check(try fixture.answer(certificate: try fixture.certificate(signers: [1, 3])))
        }
        // The right validators attesting the right block, but for another cluster: no signature verifies.
        let otherCluster = try fixture.answer(certificate: try fixture.certificate(cluster: Digest(unchecked: [UInt8](repeating: 7, count: 32))))
        #expect(throws: TrustlessError.certificate(.badSignature(0))) { try fixture.check(otherCluster) }
        // Validators of another chain (other keys, another genesis) attest another block.
        let stranger = try Fixture(seed: 8)
        let foreign = try fixture.answer(certificate: try stranger.certificate())
        #expect(throws: TrustlessError.self) { try fixture.check(foreign) }
        let all = try fixture.check(try fixture.answer(certificate: try fixture.certificate(signers: [0, 1, 2, 3])))
        #expect(all.signers == [0, 1, 2, 3])
    }

    @Test func malformedFieldsAreNamed() throws {
        let fixture = try Fixture()
        let answer = try fixture.answer()
        let badHex = ProvenStateView(height: answer.height, header: "zz", certificate: answer.certificate, entries: answer.entries)
        #expect(throws: TrustlessError.malformed(field: "header", reason: "not hex")) { try fixture.check(badHex) }
        let wrongHeight = ProvenStateView(height: 9, header: answer.header, certificate: answer.certificate, entries: answer.entries)
        #expect(throws: TrustlessError.malformed(field: "height", reason: "9, but the header is at 1")) { try fixture.check(wrongHeight) }
        let twice = ProvenStateView(height: answer.height, header: answer.header, certificate: answer.certificate, entries: answer.entries + answer.entries)
        #expect(throws: TrustlessError.self) { try fixture.check(twice) }
    }
}
