@_spi(Flaws) import Consensus
import LedgerCore
import LedgerTesting
import Testing

@Suite struct UntrustedInputTests {
    func vote(_ kind: VoteKind, view: ViewNumber, sequence: SequenceNumber, by replica: Int, in cluster: Cluster) -> SignedVote {
        let content = Vote(kind: kind, view: view, sequence: sequence, digest: Cluster.hash.digest([7]), replica: ReplicaID(replica))
        let signer = cluster.signers[replica % cluster.n]
        return Signed(content: content, signature: signer.sign(Signed.signingMessage(for: content, cluster: cluster.config.cluster)))
    }

    @Test func dropsWithBoundedMemory() throws {
        var cluster = try Cluster(window: 4)
        // Unknown replica (index 5 in a set of 4), signed with someone else's key.
        cluster.step(1, .received(.prepare(vote(.prepare, view: 0, sequence: 1, by: 5, in: cluster))))
        // Stale and future views, and a sequence far above the high watermark.
        cluster.step(1, .received(.prepare(vote(.prepare, view: 3, sequence: 1, by: 2, in: cluster))))
        cluster.step(1, .received(.commit(vote(.commit, view: 0, sequence: 1_000_000, by: 2, in: cluster))))
        // A valid-looking vote with a forged signature.
        let forged = Signed(content: Vote(kind: .prepare, view: 0, sequence: 2, digest: .zero, replica: ReplicaID(3)), signature: [1, 2, 3])
        cluster.step(1, .received(.prepare(forged)))
        let stats = cluster.replica(1).stats
        #expect(stats.dropped[.badSignature] == 2)
        #expect(stats.dropped[.futureView] == 1)
        #expect(stats.dropped[.outOfWindow] == 1)
        // A flood of votes for every sequence: the log never exceeds the window.
        for sequence in SequenceNumber(1)...200 {
            for sender in 2...3 {
                cluster.step(1, .received(.prepare(vote(.prepare, view: 0, sequence: sequence, by: sender, in: cluster))))
                cluster.step(1, .received(.commit(vote(.commit, view: 0, sequence: sequence, by: sender, in: cluster))))
            }
        }
        #expect(cluster.replica(1).logSize <= 4)
        #expect(cluster.executed[1].isEmpty)
    }

    @Test func garbageBytesAreRefusedNeverTrap() throws {
        var cluster = try Cluster()
        cluster.submit("a", to: [0])
        let samples = cluster.inFlight.map { Canonical.encode($0.message) }
        var rng = SeededGenerator(seed: 5)
        for round in 0..<2000 {
            var bytes: [UInt8]
            if round % 2 == 0 {
                bytes = rng.bytes(Int.random(in: 0...300, using: &rng))
            } else {
                bytes = samples.randomElement(using: &rng)!
                for _ in 0..<Int.random(in: 1...4, using: &rng) {
                    bytes[Int.random(in: 0..<bytes.count, using: &rng)] ^= UInt8.random(in: 1...255, using: &rng)
                }
            }
            cluster.step(2, .message(bytes))
        }
        #expect(cluster.replica(2).stats.dropped[.malformed, default: 0] > 900)
        #expect(cluster.executed[2].isEmpty)
    }

    @Test func everyMessageKindRoundTrips() throws {
        var cluster = try Cluster(checkpointInterval: 2, window: 4)
        var seen: [String: ConsensusMessage] = [:]
        cluster.submit("a")
        cluster.submit("b")
        for _ in 0..<50 {
            guard !cluster.inFlight.isEmpty else { break }
            let envelope = cluster.inFlight.removeFirst()
            seen[envelope.kind] = envelope.message
            cluster.step(envelope.to.index, .received(envelope.message))
        }
        cluster.deliver { $0.kind != "status" }
        cluster.submit("c")
        cluster.drop { $0.kind == "request" }
        cluster.deliver { $0.kind == "prePrepare" || $0.kind == "prepare" }
        cluster.drop { $0.kind == "commit" }
        for index in 1...3 { cluster.fire(.progress, at: index) }
        for envelope in cluster.inFlight { seen[envelope.kind] = envelope.message }
        cluster.deliver { $0.kind != "status" && $0.kind != "newView" }
        for envelope in cluster.inFlight { seen[envelope.kind] = envelope.message }
        cluster.deliver { $0.kind != "status" }
        cluster.broadcastStatus(from: 1)
        seen.merge(cluster.lastOfKind) { first, _ in first }
        for (kind, message) in seen {
            let bytes = Canonical.encode(message)
            #expect(try Canonical.decode(ConsensusMessage.self, from: bytes) == message, "\(kind)")
            #expect(throws: CanonicalError.self) { try Canonical.decode(ConsensusMessage.self, from: bytes + [0]) }
        }
        #expect(Set(seen.keys).isSuperset(of: ["prePrepare", "prepare", "commit", "checkpoint", "viewChange", "newView", "request", "status"]))
    }

    @Test func configurationsAreChecked() {
        let digest = Cluster.hash.digest([1])
        #expect(throws: ConfigurationError.self) { try Configuration(replicaCount: 5, cluster: digest, genesisRoot: digest) }
        #expect(throws: ConfigurationError.self) { try Configuration(replicaCount: 4, cluster: digest, genesisRoot: digest, checkpointInterval: 4, window: 6) }
        #expect(throws: ConfigurationError.self) { try Configuration(replicaCount: 4, cluster: digest, genesisRoot: digest, window: 128) }
        #expect(throws: ConfigurationError.self) {
            try Configuration(replicaCount: 4, cluster: digest, genesisRoot: digest, window: 64, maxBatchBytes: 1024 * 1024)
        }
        #expect(throws: Never.self) { try Configuration(replicaCount: 7, cluster: digest, genesisRoot: digest) }
    }
}
