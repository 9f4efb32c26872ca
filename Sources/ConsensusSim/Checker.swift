import Consensus
import LedgerCore

/// The safety checks, run on every commit, execution and state transfer of a
/// correct replica, so a violation is reported at the step that causes it.
struct Checker {
    let replicaCount: Int
    /// The true 2f+1, whatever quorum a (deliberately broken) replica uses.
    let commitQuorum: Int
    var submitted: Set<Digest> = []
    private(set) var committed: [SequenceNumber: Digest] = [:]
    private(set) var roots: [SequenceNumber: Digest] = [:]
    private(set) var highestCommitted: SequenceNumber = 0
    private(set) var nullBlocks = 0
    private(set) var violations: [Violation] = []

    let checkCertificates: Bool

    init(replicaCount: Int, commitQuorum: Int, checkCertificates: Bool) {
        self.replicaCount = replicaCount
        self.commitQuorum = commitQuorum
        self.checkCertificates = checkCertificates
    }

    mutating func recordCommit(node: Int, honest: Bool, _ batch: CommittedBatch, time: Millis, hash: some DigestFunction) {
        guard honest else { return }
        let digest = batch.batch.digest(using: hash)
        let sequence = batch.sequence
        if let agreed = committed[sequence] {
            if agreed != digest {
                violations.append(Violation(
                    kind: .agreement, time: time,
                    message: "r\(node) committed \(digest.hex.prefix(12)) at sequence \(sequence), another correct replica \(agreed.hex.prefix(12))"))
            }
        } else {
            committed[sequence] = digest
            if batch.batch.isNull { nullBlocks += 1 }
        }
        highestCommitted = max(highestCommitted, sequence)
    }

    mutating func recordExecution(
        node: Int, honest: Bool, _ batch: CommittedBatch, root: Digest, time: Millis,
        hash: some DigestFunction, verifier: some SignatureVerifier, config: Configuration
    ) {
        guard honest else { return }
        let sequence = batch.sequence
        for request in batch.batch.requests where !submitted.contains(hash.digest(request)) {
            violations.append(Violation(
                kind: .validity, time: time, message: "r\(node) executed a request nobody submitted at sequence \(sequence)"))
        }
        if checkCertificates, let problem = certificateProblem(batch, hash: hash, verifier: verifier, cluster: config.cluster) {
            violations.append(Violation(kind: .validity, time: time, message: "r\(node) sequence \(sequence): \(problem)"))
        }
        recordState(node: node, honest: honest, sequence: sequence, root: root, time: time)
    }

    mutating func recordState(node: Int, honest: Bool, sequence: SequenceNumber, root: Digest, time: Millis) {
        guard honest else { return }
        if let agreed = roots[sequence] {
            if agreed != root {
                violations.append(Violation(
                    kind: .agreement, time: time,
                    message: "r\(node) reached state root \(root.hex.prefix(12)) after sequence \(sequence), another correct replica \(agreed.hex.prefix(12))"))
            }
        } else {
            roots[sequence] = root
        }
    }

    /// What a light client would check: 2f+1 distinct replicas' valid COMMITs
    /// for this sequence and this batch's digest.
    func certificateProblem(
        _ batch: CommittedBatch, hash: some DigestFunction, verifier: some SignatureVerifier, cluster: Digest
    ) -> String? {
        let commits = batch.certificate.commits
        let digest = batch.batch.digest(using: hash)
        let signers = Set(commits.map(\.signer))
        guard signers.count == commits.count, commits.count >= commitQuorum else {
            return "commit certificate has \(signers.count) distinct signers, needs \(commitQuorum)"
        }
        guard let view = commits.first?.content.view else { return "empty commit certificate" }
        for vote in commits {
            let content = vote.content
            guard content.kind == .commit, content.sequence == batch.sequence, content.digest == digest, content.view == view else {
                return "commit certificate votes do not match the batch"
            }
            guard verifier.verify(vote.signature, message: Signed.signingMessage(for: content, cluster: cluster), by: vote.signer) else {
                return "commit certificate has a bad signature from \(vote.signer)"
            }
        }
        return nil
    }
}
