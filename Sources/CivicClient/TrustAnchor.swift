import Consensus
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPIModel
import StateTree

/// What a light client trusts: the genesis document, and nothing the node says.
/// From it come the chain id, the crypto suite and the validators (the node
/// keys of the genesis bureaus, in replica order: the replica set is fixed at
/// genesis, see docs/trust-model.md).
public struct TrustAnchor: Sendable {
    public let chain: ChainParameters
    public let validators: ValidatorSet

    public init(genesis: GenesisDocument) throws(TrustlessError) {
        let suite = CryptoSuites.suite(genesis.suite)
        // As consensus requires: n = 3f+1 ≥ 4, so that 2f+1 signers are more than one key.
        guard (GenesisDocument.minBureaus...ConsensusLimits.maxReplicas).contains(genesis.bureaus.count) else {
            throw .anchor(
                "\(genesis.bureaus.count) bureaus; a replica set has \(GenesisDocument.minBureaus) to \(ConsensusLimits.maxReplicas)")
        }
        var keys: [PublicKey] = []
        for bureau in genesis.bureaus {
            do { keys.append(try suite.publicKey(sec1: bureau.nodeKey.bytes)) } catch {
                throw .anchor("bureau \(bureau.id)'s node key: \(error)")
            }
        }
        let verifier: SuiteVerifier
        do { verifier = try SuiteVerifier(suite: suite, keys: keys) } catch { throw .anchor("\(error)") }
        chain = ChainParameters(genesis: genesis)
        validators = ValidatorSet(cluster: suite.digest(Canonical.encode(genesis)), count: keys.count, verifier: verifier)
    }

    /// A proven answer after every check: the certified block, and queries
    /// that read the proven values only.
    public struct Verified: Sendable {
        public let header: BlockHeader
        /// The state after `header`'s block, as 2f+1 validators attested it.
        public let stateRoot: Digest
        public let signers: [Int]
        public let queries: LedgerQueries
        let snapshot: ProvenSnapshot

        public var height: UInt64 { header.height.value }
        public var timeMillis: UInt64 { header.timestampMillis }

        /// A query over the proven values that failed: a key the answer did not
        /// prove, or a proven record that does not decode.
        func failure(_ error: LedgerError) -> TrustlessError {
            if let key = snapshot.firstUnprovenKey { return .missingKey(TrustAnchor.describe(key)) }
            return .incomplete("\(error)")
        }
    }

    /// Checks `answer` completely: the header is this chain's, 2f+1 genesis
    /// validators attested it and the state root after it, it is at least
    /// `minHeight` and no older than `maxAgeMillis` by `nowMillis`, and every
    /// entry's proof holds under that root. `keys` then names, from the proven
    /// values alone, which keys the question needs; the answer must carry
    /// exactly those.
    public func check(
        _ answer: ProvenStateView, minHeight: UInt64 = 0, nowMillis: UInt64, maxAgeMillis: UInt64,
        keys: (LedgerQueries) throws(LedgerError) -> [LedgerStateKey]
    ) throws(TrustlessError) -> Verified {
        let suite = chain.suite
        let header = try Self.decode(BlockHeader.self, hex: answer.header, field: "header")
        guard header.chainID == chain.chainID else {
            throw .wrongChain(expected: chain.chainID.description, found: header.chainID.description)
        }
        guard header.height.value == answer.height else {
            throw .malformed(field: "height", reason: "\(answer.height), but the header is at \(header.height)")
        }
        let certificate = try Self.decode(StateCertificate.self, hex: answer.certificate, field: "certificate")
        do { try validators.check(certificate, height: header.height.value, blockHash: header.hash(using: suite)) } catch {
            throw .certificate(error)
        }
        guard header.height.value >= minHeight else { throw .tooLow(height: header.height.value, needed: minHeight) }
        let age = nowMillis > header.timestampMillis ? nowMillis - header.timestampMillis : 0
        guard age <= maxAgeMillis else { throw .stale(ageMillis: age, maxAgeMillis: maxAgeMillis, height: header.height.value) }

        let root = certificate.stateRoot
        var values: [LedgerStateKey: [UInt8]?] = [:]
        for entry in answer.entries {
            let key = LedgerStateKey(bytes: try Self.hex(entry.key, field: "entry key"))
            guard values[key] == nil else { throw .malformed(field: "entries", reason: "key \(entry.key) appears twice") }
            let value = try entry.value.map { text throws(TrustlessError) in try Self.hex(text, field: "entry value") }
            let proof = try Self.decode(StateProof.self, hex: entry.proof, field: "entry proof")
            guard proof.verify(key: key.bytes, value: value, root: root, hash: suite) else {
                throw .proofFails(key: Self.describe(key), claimed: value == nil ? "its absence" : "the value given")
            }
            values[key] = .some(value)
        }
        let head = ChainHead(height: header.height, blockHash: certificate.blockHash, stateRoot: root, timeMillis: header.timestampMillis)
        let snapshot = ProvenSnapshot(values: values, head: head)
        let verified = Verified(
            header: header, stateRoot: root, signers: certificate.signers, queries: LedgerQueries(proven: snapshot, chain: chain),
            snapshot: snapshot)
        let needed: [LedgerStateKey]
        do { needed = try keys(verified.queries) } catch { throw verified.failure(error) }
        let neededSet = Set(needed)
        if let extra = values.keys.first(where: { !neededSet.contains($0) }) { throw .unexpectedKey(Self.describe(extra)) }
        if let absent = needed.first(where: { values[$0] == nil }) { throw .missingKey(Self.describe(absent)) }
        return verified
    }

    static func hex(_ text: String, field: String) throws(TrustlessError) -> [UInt8] {
        guard let bytes = Hex.decode(text) else { throw .malformed(field: field, reason: "not hex") }
        return bytes
    }

    static func decode<T: CanonicalCodable>(_ type: T.Type, hex text: String, field: String) throws(TrustlessError) -> T {
        let bytes = try hex(text, field: field)
        do { return try Canonical.decode(type, from: bytes) } catch { throw .malformed(field: field, reason: "\(error)") }
    }

    /// A state key as a reader recognises it: its kind, then its hex.
    static func describe(_ key: LedgerStateKey) -> String {
        let kinds: [UInt8: String] = [
            0x01: "bureau", 0x05: "licence", 0x06: "consent", 0x08: "invoice", 0x09: "invoice event", 0x0A: "receipt",
            0x0C: "licence type", 0x0D: "bureau set",
        ]
        let kind = key.bytes.first.flatMap { kinds[$0] } ?? "key"
        return "\(kind) \(Hex.encode(key.bytes))"
    }
}
