import LedgerCore

/// Why a state certificate does not vouch for a block.
public enum CertificateRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    case tooFewSigners(count: Int, needed: Int)
    case unknownSigner(Int)
    case duplicateSigner(Int)
    /// Signers out of increasing order: a certificate has one encoding.
    case unsortedSigners
    case badSignature(Int)
    /// An attestation for another height, block or state root than the rest.
    case disagreeing(signer: Int)
    /// Well formed, but for another block than the one it came with.
    case otherBlock(String)

    public var description: String {
        switch self {
        case let .tooFewSigners(count, needed): "the certificate has \(count) signer\(count == 1 ? "" : "s"); \(needed) are needed (2f+1)"
        case let .unknownSigner(index): "signer \(index) is not a validator of this chain"
        case let .duplicateSigner(index): "signer \(index) appears more than once"
        case .unsortedSigners: "the signers are not in increasing order"
        case let .badSignature(index): "the signature of validator \(index) does not verify"
        case let .disagreeing(signer): "validator \(signer) attests another block or state root than the others"
        case let .otherBlock(reason): "the certificate is for another block: \(reason)"
        }
    }
}

/// The replicas fixed at genesis, as a client checks their signatures: the
/// cluster id every signature covers, their keys by index, and the 2f+1 quorum.
public struct ValidatorSet: Sendable {
    public let cluster: Digest
    public let count: Int
    private let verifier: any SignatureVerifier

    public init(cluster: Digest, count: Int, verifier: any SignatureVerifier) {
        precondition((1...ConsensusLimits.maxReplicas).contains(count), "a replica set has 1 to \(ConsensusLimits.maxReplicas) members")
        self.cluster = cluster
        self.count = count
        self.verifier = verifier
    }

    /// f = ⌊(n−1)/3⌋ faulty validators tolerated; 2f+1 must sign.
    public var quorum: Int { 2 * ((count - 1) / 3) + 1 }

    /// Total: throws unless 2f+1 distinct validators signed matching
    /// attestations of exactly this height and block hash.
    public func check(_ certificate: StateCertificate, height: UInt64, blockHash: Digest) throws(CertificateRefusal) {
        var seen = Set<Int>()
        for attestation in certificate.attestations {
            let signer = attestation.signer.index
            guard signer < count else { throw .unknownSigner(signer) }
            guard seen.insert(signer).inserted else { throw .duplicateSigner(signer) }
        }
        guard zip(certificate.attestations, certificate.attestations.dropFirst()).allSatisfy({ $0.signer < $1.signer }) else {
            throw .unsortedSigners
        }
        guard certificate.attestations.count >= quorum else {
            throw .tooFewSigners(count: certificate.attestations.count, needed: quorum)
        }
        let first = certificate.attestations[0].content
        guard first.height == height else { throw .otherBlock("it is for height \(first.height), the header is at \(height)") }
        guard first.blockHash == blockHash else { throw .otherBlock("it attests block \(first.blockHash.hex), the header hashes to \(blockHash.hex)") }
        for attestation in certificate.attestations {
            guard attestation.content.matches(first) else { throw .disagreeing(signer: attestation.signer.index) }
            guard isValid(attestation) else { throw .badSignature(attestation.signer.index) }
        }
    }

    /// One attestation's signature, as a replica checks a peer's.
    public func isValid(_ attestation: SignedAttestation) -> Bool {
        attestation.signer.index < count
            && verifier.verify(attestation.signature, message: attestation.signingMessage(cluster: cluster), by: attestation.signer)
    }
}
