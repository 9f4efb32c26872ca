import CivicClient
import Consensus
import Foundation
import GenesisFile
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPIModel
import StateTree

/// The decoders that take bytes from outside a node — peers, clients, files —
/// each as a fuzz target. A target returns normally for any input; a crash
/// (trap, precondition, fatal error) is a finding. Where a decoder accepts an
/// input, the target also checks a property that must hold for it.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// A signed transaction from a client or a peer, and its payload.
    case transaction
    /// A block from state transfer or the archive.
    case block
    /// A consensus message from a peer.
    case consensus
    /// A state proof handed to a light client.
    case stateProof = "state-proof"
    /// A genesis file.
    case genesis
    /// The counter's QR payload, read by a holder's device.
    case consentRequest = "consent-request"
    /// JSON bodies: what a node reads from clients and a client reads from a node.
    case apiJSON = "api-json"
    /// A proven answer (`proof=true`), checked as `civic --trustless` checks it.
    case provenAnswer = "proven-answer"
    /// A frame from a peer node: consensus, blocks, relayed requests, attestations.
    case peerFrame = "peer-frame"

    public func run(_ bytes: [UInt8]) {
        switch self {
        case .transaction: Self.transaction(bytes)
        case .block: _ = try? Canonical.decode(Block.self, from: bytes)
        case .consensus: _ = try? Canonical.decode(ConsensusMessage.self, from: bytes)
        case .stateProof: Self.stateProof(bytes)
        case .genesis: Self.genesis(bytes)
        case .consentRequest: Self.consentRequest(bytes)
        case .apiJSON: Self.apiJSON(bytes)
        case .provenAnswer: ProvenAnswerTarget.run(bytes)
        case .peerFrame: PeerFrameTarget.run(bytes)
        }
    }

    /// Whether a `proven-answer` input passes every check, so the seed starts the fuzzer past them.
    public static func provenAnswerAccepts(_ bytes: [UInt8]) -> Bool { ProvenAnswerTarget.accepts(bytes) }

    static func transaction(_ bytes: [UInt8]) {
        guard let signed = try? Canonical.decode(SignedTransaction.self, from: bytes) else { return }
        let transaction = signed.transaction
        _ = try? LedgerOperation.decode(kind: transaction.kind, payload: transaction.payload)
        // Verification is total on any key and signature bytes, in both suites.
        for suite in [CryptoSuites.standard, CryptoSuites.guomi] {
            if let key = try? suite.publicKey(sec1: transaction.sender.bytes) {
                _ = suite.verify(signature: signed.signature, for: transaction.signingMessage, publicKey: key)
            }
            _ = transaction.id(using: suite)
        }
    }

    static func stateProof(_ bytes: [UInt8]) {
        // The first 32 bytes pick the root and key hash, the rest is the proof.
        guard bytes.count > 64, let proof = try? Canonical.decode(StateProof.self, from: bytes.dropFirst(64)) else { return }
        let root = Digest(unchecked: Array(bytes[0..<32]))
        let key = Array(bytes[32..<64])
        _ = proof.verify(key: key, value: nil, root: root, hash: CryptoSuites.standard)
        _ = proof.verify(key: key, value: Array(bytes.prefix(8)), root: root, hash: CryptoSuites.guomi)
    }

    static func genesis(_ bytes: [UInt8]) {
        guard let text = String(validating: bytes, as: UTF8.self) else { return }
        guard let spec = try? GenesisFile.parse(text, file: "fuzz.toml") else { return }
        _ = try? spec.document()
    }

    static func consentRequest(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let request = try? ConsentRequest(payload: text) else { return }
        // What a counter shows must read back as the same request.
        let again = try? ConsentRequest(payload: request.payload)
        precondition(again == request, "a consent request does not survive its own payload: \(request.payload)")
    }

    static func apiJSON(_ bytes: [UInt8]) {
        let data = Data(bytes)
        let decoder = JSONDecoder()
        _ = try? decoder.decode(SubmitBody.self, from: data)
        _ = try? decoder.decode(BatchBody.self, from: data)
        _ = try? decoder.decode(VerifyBody.self, from: data)
        _ = try? decoder.decode(StatusView.self, from: data)
        _ = try? decoder.decode(VerdictView.self, from: data)
        _ = try? decoder.decode(InvoiceTraceView.self, from: data)
        _ = try? decoder.decode(BlockReceiptsView.self, from: data)
        _ = try? decoder.decode(ErrorBody.self, from: data)
        _ = try? decoder.decode(ProvenStateView.self, from: data)
    }
}
