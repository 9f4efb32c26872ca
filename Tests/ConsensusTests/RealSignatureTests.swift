import Consensus
import LedgerCore
import LedgerCrypto
import Testing

/// The replica with the node's real signatures (standard suite, secp256k1):
/// the same steps as with the simulator's authenticator.
@Suite struct RealSignatureTests {
    @Test func normalCaseAndViewChangeWithSecp256k1() throws {
        var cluster = try Cluster(window: 8, realSignatures: true)
        cluster.submit("a")
        cluster.drop { $0.kind == "request" }
        cluster.deliver { $0.kind != "status" }
        let certificate = try #require(cluster.executed[3].first?.certificate)
        for vote in certificate.commits {
            #expect(vote.signature.count == StandardSuite.signatureSize)
            #expect(cluster.verifier.verify(vote.signature, message: Signed.signingMessage(for: vote.content, cluster: cluster.config.cluster), by: vote.signer))
        }
        // A view change with prepared certificates, verified with real signatures.
        cluster.submit("b")
        cluster.drop { $0.kind == "request" }
        cluster.deliver { $0.kind == "prePrepare" || $0.kind == "prepare" }
        cluster.drop { $0.kind == "commit" }
        for index in 1...3 { cluster.fire(.progress, at: index) }
        cluster.deliver { $0.kind != "status" }
        #expect(cluster.replica(0).view == 1)
        #expect(cluster.executed.allSatisfy { $0.map(\.sequence) == [1, 2] })
    }
}
