import Consensus
import LedgerCore
import LedgerCrypto
import NodeRuntime

/// A frame from an authenticated peer: whatever its bytes, decoding returns or
/// throws, and an attestation it carries is checked against a fixed validator
/// set without trapping.
enum PeerFrameTarget {
    static let validators: ValidatorSet? = {
        let suite = CryptoSuites.standard
        guard let keys = try? FixedKeys.validators(),
              let verifier = try? SuiteVerifier(suite: suite, keys: keys.map(\.publicKey))
        else { return nil }
        return ValidatorSet(cluster: Digest(unchecked: [UInt8](repeating: 0xC1, count: 32)), count: 4, verifier: verifier)
    }()

    static func run(_ bytes: [UInt8]) {
        guard let frame = try? Canonical.decode(PeerFrame.self, from: bytes) else { return }
        switch frame {
        case let .attestation(attestation):
            _ = validators?.isValid(attestation)
        case let .blocksResponse(blocks):
            for block in blocks { _ = try? block.block() }
        case .consensus, .blocksRequest, .requests:
            break
        }
    }

    /// Valid frames of every kind, for the seeds.
    static func seeds(request: [UInt8]) throws -> [(String, [UInt8])] {
        let suite = CryptoSuites.standard
        let key = try FixedKeys.validators()[0]
        let signer = try SuiteSigner(replica: ReplicaID(0), suite: suite, key: key)
        let attestation = SignedAttestation.signing(
            BlockAttestation(
                height: 7, blockHash: suite.digest([7]), stateRoot: suite.digest([8]), replica: ReplicaID(0)),
            with: signer, cluster: Digest(unchecked: [UInt8](repeating: 0xC1, count: 32)))
        return [
            ("consensus", Canonical.encode(PeerFrame.consensus(Canonical.encode(ConsensusMessage.request(request))))),
            ("blocks-request", Canonical.encode(PeerFrame.blocksRequest(from: 1, through: 16))),
            ("requests", Canonical.encode(PeerFrame.requests([request]))),
            ("attestation", Canonical.encode(PeerFrame.attestation(attestation))),
        ]
    }
}
