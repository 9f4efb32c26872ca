import CivicClient
import Consensus
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import LedgerStore
import NodeAPIModel

/// A proven answer (`proof=true`) as a light client receives it, checked
/// against a fixed four-validator chain: whatever the node sends, the check
/// returns or throws, and what it accepts the counter check can judge.
enum ProvenAnswerTarget {
    /// The chain every input is checked against, with deterministic keys so
    /// the seed (built from the same keys) passes every check.
    static let fixture: Fixture? = try? Fixture()

    struct Fixture: Sendable {
        static let licence = LicenceID(Digest(unchecked: [UInt8](repeating: 0x4C, count: 32)))
        static let now: UInt64 = 1_796_400_010_000

        let genesis: GenesisDocument
        let nodeKeys: [PrivateKey]
        let anchor: TrustAnchor

        init() throws {
            let nodeKeys = try FixedKeys.validators()
            self.nodeKeys = nodeKeys
            let admins = try (5...8).map { try FixedKeys.key(UInt8($0)) }
            let rights = try BureauRights(licenceTypes: [], registersOffices: false, registersTaxpayers: false, registersAuditors: false)
            let bureaus = try ["a", "b", "c", "d"].enumerated().map { index, id in
                try Bureau(
                    id: BureauID("bureau-\(id)"), nameZh: id, nameEn: id, nodeKey: nodeKeys[index].publicKey.compressed,
                    adminKey: admins[index].publicKey.compressed, rights: rights)
            }
            genesis = try GenesisDocument(
                chainID: ChainID("civic-fuzz")!, suite: .standard, genesisTimeMillis: 1_796_400_000_000, bureaus: bureaus, licenceTypes: [])
            anchor = try TrustAnchor(genesis: genesis)
        }

        /// An honest answer about `licence` (absent) after one empty block.
        func honestAnswer() throws -> ProvenStateView {
            let suite = CryptoSuites.standard
            let ledger = try Ledger(store: InMemoryStore(columnFamilies: LedgerColumns.all), genesis: genesis)
            let block = try ledger.nextBlock(transactions: [], timeMillis: Self.now - 5_000, proposer: suite.address(of: nodeKeys[0].publicKey))
            try ledger.apply(block)
            let head = try ledger.head()
            let cluster = suite.digest(Canonical.encode(genesis))
            let certificate = StateCertificate(sorting: try (0..<3).map { index in
                SignedAttestation.signing(
                    BlockAttestation(height: head.height.value, blockHash: head.blockHash, stateRoot: head.stateRoot, replica: ReplicaID(index)),
                    with: try SuiteSigner(replica: ReplicaID(index), suite: suite, key: nodeKeys[index]), cluster: cluster)
            })
            let queries = try ledger.queries()
            defer { queries.close() }
            let entries = try LedgerStateKey.counterCheck(licence: Self.licence, consent: nil, in: queries).map { key in
                try ProvenEntryView(proving: key, in: queries)
            }
            return ProvenStateView(
                height: head.height.value, header: Hex.encode(Canonical.encode(block.header)),
                certificate: Hex.encode(Canonical.encode(certificate)), entries: entries)
        }
    }

    static func run(_ bytes: [UInt8]) { _ = accepts(bytes) }

    /// True when the answer passes every check (then the verdict ran too).
    static func accepts(_ bytes: [UInt8]) -> Bool {
        guard let fixture, let answer = try? JSONDecoder().decode(ProvenStateView.self, from: Data(bytes)) else { return false }
        let checked = try? fixture.anchor.check(answer, nowMillis: Fixture.now, maxAgeMillis: 60_000) { queries throws(LedgerError) in
            try LedgerStateKey.counterCheck(licence: Fixture.licence, consent: nil, in: queries)
        }
        guard let checked else { return false }
        // Accepted: the keys the check demanded are exactly the ones the counter
        // check reads, so the ledger's own verdict must run on them.
        let request = VerificationRequest(subject: .licence(Fixture.licence), presentedDigest: nil, consent: nil, office: nil)
        do { _ = try checked.queries.verify(request) } catch {
            preconditionFailure("an answer that passed every check cannot be judged: \(error)")
        }
        return true
    }
}
