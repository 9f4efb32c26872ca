import Consensus
import LedgerCore
import LedgerCrypto
import NodeRuntime
import Synchronization

struct Misbehaviour: Sendable {
    var equivocate: Bool
    var doubleVote: Bool
    var replay: Bool
    var garbage: Bool

    var any: Bool { equivocate || doubleVote || replay || garbage }
}

/// Sits between the real node and its peer links and rewrites what the node
/// sends. It signs with this node's key only, like a compromised bureau node:
/// what it forges in other replicas' names cannot carry a valid signature.
///
/// Each misbehaviour is chosen so that honest receivers can prove it, and
/// does so on every occasion rather than at random, so a test sees it soon:
/// - equivocate: every backup gets both PRE-PREPAREs of a sequence, in
///   different orders, so each sees the conflict and backups disagree on
///   which batch came first;
/// - double vote: each PREPARE and COMMIT is followed by one for a fabricated
///   digest (the genuine one first, so honest quorums still form);
/// - replay: peers' STATUS and votes are sent back to their signer and on to
///   another peer, and this node's old frames are sent again;
/// - garbage: truncated frames, undecodable consensus messages, and a copy
///   with a broken signature ahead of some genuine messages.
final class ByzantineTransport: PeerTransport {
    private let inner: any PeerTransport
    private let me: Int
    private let peers: [Int]
    private let signer: SuiteSigner
    private let suite: any CryptoSuite
    private let cluster: Digest
    private let misbehaviour: Misbehaviour
    private let state = Mutex(State())

    /// Every this many sends, the unprompted traffic (replays, garbage) goes out.
    static let noiseEvery: UInt64 = 3
    static let memoryLimit = 32

    struct State {
        var sends: UInt64 = 0
        var messages: UInt64 = 0
        /// Peers' messages that only their signer sends (so a replay is provable).
        var heard: [(peer: Int, frame: [UInt8])] = []
        /// This node's own frames, replayed once stale.
        var said: [[UInt8]] = []
        var next = 0
    }

    init(wrapping inner: any PeerTransport, identity: NodeIdentity, misbehaviour: Misbehaviour) {
        self.inner = inner
        me = identity.replica
        peers = (0..<identity.replicaKeys.count).filter { $0 != identity.replica }
        do {
            signer = try SuiteSigner(replica: ReplicaID(identity.replica), suite: identity.suite, key: identity.nodeKey)
        } catch {
            // NodeIdentity.load already checked the key against genesis and its suite.
            preconditionFailure("the node key does not fit the chain's suite: \(error)")
        }
        suite = identity.suite
        cluster = identity.genesisHash
        self.misbehaviour = misbehaviour
    }

    func send(_ bytes: [UInt8], to peer: Int) {
        for (target, frame) in rewrite(bytes, to: [peer]) { inner.send(frame, to: target) }
    }

    func broadcast(_ bytes: [UInt8]) {
        for (target, frame) in rewrite(bytes, to: peers) { inner.send(frame, to: target) }
    }

    func connectedPeers() -> Set<Int> { inner.connectedPeers() }

    func observeInbound(_ bytes: [UInt8], from peer: Int) {
        guard misbehaviour.replay, let message = Self.consensus(bytes) else { return }
        switch message {
        case .prepare, .commit, .checkpoint, .status:
            state.withLock { state in
                state.heard.append((peer, bytes))
                if state.heard.count > Self.memoryLimit { state.heard.removeFirst() }
            }
        default:
            break
        }
    }

    // MARK: Rewriting

    private func rewrite(_ bytes: [UInt8], to targets: [Int]) -> [(Int, [UInt8])] {
        var out: [(Int, [UInt8])] = []
        let message = Self.consensus(bytes)
        for target in targets {
            guard let message else {
                out.append((target, bytes))
                continue
            }
            var messages: [ConsensusMessage] = []
            if misbehaviour.garbage, let broken = brokenSignature(message) { messages.append(broken) }
            if misbehaviour.equivocate, let other = conflicting(message) {
                // Both to everyone, in two orders: each backup holds proof, and
                // backups disagree on which batch they accepted.
                messages += target % 2 == 0 ? [message, other] : [other, message]
            } else {
                messages.append(message)
            }
            if misbehaviour.doubleVote, let second = secondVote(message) { messages.append(second) }
            out += messages.map { (target, Self.frame($0)) }
        }
        return out + noise(bytes, isConsensus: message != nil)
    }

    /// The same pre-prepare, signed by this node as primary, for another batch
    /// (one millisecond later, so it is as acceptable as the genuine one).
    private func conflicting(_ message: ConsensusMessage) -> ConsensusMessage? {
        guard case let .prePrepare(vote, batch) = message, vote.signer.index == me, !batch.isNull,
              let other = try? Batch(timestamp: batch.timestamp + 1, proposer: batch.proposer, requests: batch.requests)
        else { return nil }
        let signed = sign(Vote(
            kind: .prePrepare, view: vote.content.view, sequence: vote.content.sequence,
            digest: other.digest(using: suite), replica: vote.content.replica))
        return .prePrepare(signed, other)
    }

    private func secondVote(_ message: ConsensusMessage) -> ConsensusMessage? {
        let vote: SignedVote
        switch message {
        case let .prepare(v), let .commit(v): vote = v
        default: return nil
        }
        guard vote.signer.index == me else { return nil }
        let fabricated = suite.digest(Canonical.encode(vote.content) + Array("double vote".utf8))
        let signed = sign(Vote(
            kind: vote.content.kind, view: vote.content.view, sequence: vote.content.sequence, digest: fabricated,
            replica: vote.content.replica))
        return vote.content.kind == .prepare ? .prepare(signed) : .commit(signed)
    }

    /// A copy of one message in four with its signature's last byte flipped,
    /// sent ahead of the genuine one (after it, a receiver would drop it as a
    /// duplicate without checking).
    private func brokenSignature(_ message: ConsensusMessage) -> ConsensusMessage? {
        let due = state.withLock { state in
            state.messages += 1
            return state.messages % 4 == 0
        }
        guard due else { return nil }
        func broken<Content>(_ signed: Signed<Content>) -> Signed<Content> {
            var signature = signed.signature
            signature[signature.count - 1] ^= 0x5A
            return Signed(content: signed.content, signature: signature)
        }
        switch message {
        case let .prePrepare(vote, batch) where vote.signer.index == me: return .prePrepare(broken(vote), batch)
        case let .prepare(vote) where vote.signer.index == me: return .prepare(broken(vote))
        case let .commit(vote) where vote.signer.index == me: return .commit(broken(vote))
        case let .status(status) where status.signer.index == me: return .status(broken(status))
        default: return nil
        }
    }

    struct NoiseTurn {
        let turn: Int
        let heard: (peer: Int, frame: [UInt8])?
        let stale: [UInt8]?
    }

    /// Unprompted traffic, riding on every `noiseEvery`-th send.
    private func noise(_ bytes: [UInt8], isConsensus: Bool) -> [(Int, [UInt8])] {
        let due: NoiseTurn? = state.withLock { state in
            if isConsensus && misbehaviour.replay {
                state.said.append(bytes)
                if state.said.count > Self.memoryLimit { state.said.removeFirst() }
            }
            state.sends += 1
            guard state.sends % Self.noiseEvery == 0 else { return nil }
            state.next += 1
            // The oldest of its own: from an earlier sequence, often an earlier view.
            return NoiseTurn(
                turn: state.next, heard: state.heard.isEmpty ? nil : state.heard[state.next % state.heard.count],
                stale: state.said.first)
        }
        guard let due else { return [] }
        var out: [(Int, [UInt8])] = []
        let peer = peers[due.turn % peers.count]
        if misbehaviour.garbage {
            // A frame cut short, and a well-framed consensus message that does not decode.
            out.append((peer, Array(bytes.prefix(max(1, bytes.count / 2)))))
            out.append((peer, Canonical.encode(PeerFrame.consensus([0x30, 0x03, 0x02, 0x01, 0x07]))))
        }
        if misbehaviour.replay {
            if let replayed = due.heard {
                // Back to its signer, and on to another peer: neither is something a correct node sends.
                out.append((replayed.peer, replayed.frame))
                if let other = peers.first(where: { $0 != replayed.peer && $0 != peer }) ?? peers.first(where: { $0 != replayed.peer }) {
                    out.append((other, replayed.frame))
                }
            }
            if let stale = due.stale { out.append((peer, stale)) }
        }
        return out
    }

    private func sign(_ vote: Vote) -> SignedVote {
        Signed.signing(vote, with: signer, cluster: cluster)
    }

    private static func consensus(_ bytes: [UInt8]) -> ConsensusMessage? {
        guard case let .consensus(inner)? = try? Canonical.decode(PeerFrame.self, from: bytes) else { return nil }
        return try? Canonical.decode(ConsensusMessage.self, from: inner)
    }

    private static func frame(_ message: ConsensusMessage) -> [UInt8] {
        Canonical.encode(PeerFrame.consensus(Canonical.encode(message)))
    }
}
