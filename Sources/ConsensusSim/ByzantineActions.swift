import Consensus
import LedgerCore

extension Simulation {
    /// What a byzantine replica sends instead of `message` to `to`. It signs
    /// with its own key only.
    func byzantineRewrite(from: Int, to: Int, _ message: ConsensusMessage) -> [(Int, ConsensusMessage)] {
        let behaviour = nodes[from].byzantine!
        if behaviour.withhold && (behaviour.victims.contains(to) || chance(0.3)) { return [] }
        switch message {
        case let .prePrepare(vote, batch) where behaviour.equivocate && to % 2 == 1:
            // Odd-numbered peers get a different batch for the same (view, sequence).
            var requests = batch.requests
            if requests.count > 1 { requests.reverse() }
            if chance(0.3) { requests.append(Array(repeating: 0xAB, count: 16)) }  // an invented request
            let timestamp = requests == batch.requests ? batch.timestamp + 1 : batch.timestamp
            guard let other = try? Batch(timestamp: timestamp, proposer: batch.proposer, requests: requests) else { return [(to, message)] }
            let content = Vote(kind: .prePrepare, view: vote.content.view, sequence: vote.content.sequence,
                               digest: other.digest(using: hash), replica: vote.content.replica)
            return [(to, .prePrepare(ownSign(from, content), other))]
        case let .prepare(vote) where behaviour.doubleVote && chance(0.5),
             let .commit(vote) where behaviour.doubleVote && chance(0.5):
            let content = Vote(kind: vote.content.kind, view: vote.content.view, sequence: vote.content.sequence,
                               digest: Digest(rng.bytes(32))!, replica: vote.content.replica)
            let forged = vote.content.kind == .prepare ? ConsensusMessage.prepare(ownSign(from, content)) : .commit(ownSign(from, content))
            return chance(0.5) ? [(to, forged), (to, message)] : [(to, message), (to, forged)]
        default:
            return [(to, message)]
        }
    }

    func ownSign(_ index: Int, _ content: Vote) -> SignedVote {
        Signed(content: content, signature: nodes[index].signer.sign(Signed.signingMessage(for: content, cluster: config.cluster)))
    }

    /// Unprompted traffic: replays of old messages and garbage bytes.
    func byzantineNoise(_ index: Int) {
        guard nodes[index].isUp, let behaviour = nodes[index].byzantine else { return }
        let peers = nodes.indices.filter { $0 != index }
        let peer = peers.randomElement(using: &rng)!
        if behaviour.replay, let old = behaviour.memory.randomElement(using: &rng) {
            send(from: index, to: peer, old)
        }
        if behaviour.garbage {
            if Bool.random(using: &rng), var bytes = behaviour.memory.randomElement(using: &rng), !bytes.isEmpty {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                send(from: index, to: peer, bytes)
            } else {
                send(from: index, to: peer, rng.bytes(Int.random(in: 1...200, using: &rng)))
            }
        }
    }
}
