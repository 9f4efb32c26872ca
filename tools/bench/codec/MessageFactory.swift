import Consensus
import LedgerCore
import LedgerCrypto
import LedgerTesting

/// Consensus messages shaped like the ones a four-replica cluster exchanges
/// when it changes views with a full window of prepared batches.
struct MessageFactory {
    let batches: Int
    let requests: Int
    let requestBytes: Int

    private let hash = CryptoSuites.standard
    private let cluster = CryptoSuites.standard.digest(Array("bench-codec".utf8))

    func messages() throws -> [(String, ConsensusMessage)] {
        var rng = SeededGenerator(seed: 1)
        let signers = (0..<4).map { index in
            KeyedHashSigner(replica: ReplicaID(index), secret: hash.digest([UInt8(index)]).bytes, hash: hash)
        }
        let window = try (0..<batches).map { index in
            try Batch(
                timestamp: Millis(1_000 + index), proposer: ReplicaID(0),
                requests: (0..<requests).map { _ in rng.bytes(requestBytes) })
        }
        let prepared = window.enumerated().map { index, batch in
            let sequence = SequenceNumber(index + 1)
            let digest = batch.digest(using: hash)
            let votes = signers.map { signer in
                Signed.signing(
                    Vote(kind: signer.replica.index == 0 ? .prePrepare : .prepare, view: 0, sequence: sequence,
                         digest: digest, replica: signer.replica),
                    with: signer, cluster: cluster)
            }
            return PreparedCertificate(prePrepare: votes[0], prepares: votes.dropFirst())
        }
        let genesis = CheckpointCertificate(sequence: 0, stateRoot: hash.digest([]), votes: [])
        let changes = signers.prefix(3).map { signer in
            Signed.signing(
                ViewChange(newView: 1, replica: signer.replica, checkpoint: genesis, prepared: prepared),
                with: signer, cluster: cluster)
        }
        let prePrepares = window.enumerated().map { index, batch in
            Signed.signing(
                Vote(kind: .prePrepare, view: 1, sequence: SequenceNumber(index + 1), digest: batch.digest(using: hash),
                     replica: signers[1].replica),
                with: signers[1], cluster: cluster)
        }
        let newView = Signed.signing(
            NewView(view: 1, replica: signers[1].replica, viewChanges: changes, prePrepares: prePrepares),
            with: signers[1], cluster: cluster)
        return [
            ("PRE-PREPARE (1 batch)", .prePrepare(prePrepares[0], window[0])),
            ("VIEW-CHANGE (\(batches) batches)", .viewChange(changes[0], batches: window)),
            ("NEW-VIEW (\(batches) batches)", .newView(newView, batches: window)),
        ]
    }
}
