import Consensus
import LedgerCore
import LedgerCrypto
import Testing

/// State certificates with real secp256k1 signatures: 2f+1 distinct
/// validators attesting one block, and each way a certificate can fall short.
@Suite struct StateCertificateTests {
    let suite = CryptoSuites.standard
    let cluster = Digest(unchecked: [UInt8](repeating: 0x42, count: 32))
    let keys: [PrivateKey]
    let validators: ValidatorSet
    let blockHash = Digest(unchecked: [UInt8](repeating: 0xB1, count: 32))
    let root = Digest(unchecked: [UInt8](repeating: 0x5E, count: 32))

    init() throws {
        let suite = CryptoSuites.standard
        keys = try (1...4).map { try suite.privateKey(rawScalar: [UInt8](repeating: UInt8($0), count: 32)) }
        validators = ValidatorSet(cluster: cluster, count: 4, verifier: try SuiteVerifier(suite: suite, keys: keys.map(\.publicKey)))
    }

    func attestation(_ index: Int, height: UInt64 = 7, root: Digest? = nil) throws -> SignedAttestation {
        let signer = try SuiteSigner(replica: ReplicaID(index), suite: suite, key: keys[index])
        return SignedAttestation.signing(
            BlockAttestation(height: height, blockHash: blockHash, stateRoot: root ?? self.root, replica: ReplicaID(index)),
            with: signer, cluster: cluster)
    }

    @Test func twoFPlusOneMatchingAttestationsCertifyTheBlock() throws {
        let certificate = StateCertificate(sorting: [try attestation(2), try attestation(0), try attestation(3)])
        try validators.check(certificate, height: 7, blockHash: blockHash)
        #expect(certificate.signers == [0, 2, 3] && certificate.stateRoot == root)
        let decoded = try Canonical.decode(StateCertificate.self, from: Canonical.encode(certificate))
        #expect(decoded == certificate)
        try validators.check(decoded, height: 7, blockHash: blockHash)
    }

    @Test func eachShortfallIsNamed() throws {
        let good = [try attestation(0), try attestation(1), try attestation(2)]
        func refusal(_ attestations: [SignedAttestation], height: UInt64 = 7, hash: Digest? = nil) -> CertificateRefusal? {
            do { try validators.check(StateCertificate(attestations: attestations), height: height, blockHash: hash ?? blockHash) } catch {
                return error
            }
            return nil
        }
        #expect(refusal(Array(good.prefix(2))) == .tooFewSigners(count: 2, needed: 3))
        #expect(refusal([good[0], good[0], good[1]]) == .duplicateSigner(0))
        #expect(refusal([good[1], good[0], good[2]]) == .unsortedSigners)
        #expect(refusal([good[0], good[1], try attestation(2, root: blockHash)]) == .disagreeing(signer: 2))
        #expect(refusal(good, height: 8) != nil)
        #expect(refusal(good, hash: root) != nil)
        // A signature by replica 1's key presented as replica 2's.
        let stolen = SignedAttestation(content: good[2].content, signature: good[1].signature)
        #expect(refusal([good[0], good[1], stolen]) == .badSignature(2))
        // A consensus vote's signature over the same bytes does not pass: the domains differ.
        let vote = Vote(kind: .commit, view: 0, sequence: 7, digest: blockHash, replica: ReplicaID(2))
        let signer = try SuiteSigner(replica: ReplicaID(2), suite: suite, key: keys[2])
        let voteSignature = Signed.signing(vote, with: signer, cluster: cluster).signature
        #expect(refusal([good[0], good[1], SignedAttestation(content: good[2].content, signature: voteSignature)]) == .badSignature(2))
    }
}
