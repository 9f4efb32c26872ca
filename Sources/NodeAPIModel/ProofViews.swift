import LedgerCore
import LedgerState

/// A read asked with `proof=true`: state values with Merkle proofs against
/// the state root that 2f+1 validators attested after executing block
/// `height`, the header of that block, and their certificate. All binary
/// fields are lowercase hex of canonical DER; a client decodes and checks
/// every one of them itself (see docs/trust-model.md), so nothing here needs
/// to be taken on the node's word.
public struct ProvenStateView: Codable, Sendable, Hashable {
    /// The certified block; `header` is its `BlockHeader`.
    public let height: UInt64
    public let header: String
    /// `StateCertificate`: the validators' signed attestations of
    /// (height, block hash, state root after the block).
    public let certificate: String
    /// One entry per state key the answer rests on.
    public let entries: [ProvenEntryView]

    public init(height: UInt64, header: String, certificate: String, entries: [ProvenEntryView]) {
        self.height = height
        self.header = header
        self.certificate = certificate
        self.entries = entries
    }
}

/// One state key, its value (absent: null) and the `StateProof` of either.
public struct ProvenEntryView: Codable, Sendable, Hashable {
    public let key: String
    public let value: String?
    public let proof: String

    public init(key: String, value: String?, proof: String) {
        self.key = key
        self.value = value
        self.proof = proof
    }
}

extension ProvenEntryView {
    /// `key`'s value (or absence) and its proof, read from `queries`: how a node
    /// builds each entry it answers with.
    public init(proving key: LedgerStateKey, in queries: LedgerQueries) throws(LedgerError) {
        let (value, proof) = try queries.prove(key)
        self.init(key: Hex.encode(key.bytes), value: value.map { Hex.encode($0) }, proof: Hex.encode(Canonical.encode(proof)))
    }
}
