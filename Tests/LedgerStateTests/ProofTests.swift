import LedgerCore
import LedgerCrypto
import LedgerState
import StateTree
import Testing

/// Any value in the state can be proven against the root in the block header,
/// with nothing but the root and the suite; any altered byte breaks the proof.
@Suite("State proofs")
struct ProofTests {
    /// Opens the suite existential outside the #expect macro, which cannot.
    private func verifies(_ proof: StateProof, _ key: [UInt8], _ value: [UInt8]?, _ root: Digest, _ suite: any CryptoSuite) -> Bool {
        proof.verify(key: key, value: value, root: root, hash: suite)
    }

    private func populated() throws -> (LedgerHarness, LicenceID, InvoiceID) {
        let h = try LedgerHarness(seed: 31)
        let seller = try h.taxpayer(Taxpayers.seller)
        _ = try h.taxpayer(Taxpayers.buyer)
        let licence = try h.issue("RESIDENT_ID_CARD", to: try h.newKey(), by: "psb")
        try h.expectOK(h.run(.issueInvoice(h.invoiceIssue("00000031", buyer: Taxpayers.buyer)), by: seller))
        return (h, licence, InvoiceID("144032400110-00000031")!)
    }

    @Test("Inclusion proofs of a licence and an invoice, and non-inclusion of an absent licence, verify against the head's root")
    func proofsVerify() throws {
        let (h, licence, invoice) = try populated()
        let root = try h.root()
        try h.queries { q in
            for key in [LedgerStateKey.licence(licence), .invoice(invoice), .bureau(try BureauID("psb"))] {
                let (value, proof) = try q.prove(key)
                let present = try #require(value)
                #expect(verifies(proof, key.bytes, present, root, h.suite))
                #expect(!verifies(proof, key.bytes, nil, root, h.suite), "claims absence of a present key")
            }
            let absent = LedgerStateKey.licence(LicenceID(h.suite.digest([0xAB])))
            let (value, proof) = try q.prove(absent)
            #expect(value == nil)
            #expect(verifies(proof, absent.bytes, nil, root, h.suite))
        }
    }

    @Test("Any altered byte of value, proof encoding or root makes verification fail")
    func tampering() throws {
        let (h, licence, _) = try populated()
        let root = try h.root()
        let key = LedgerStateKey.licence(licence)
        let (maybeValue, proof) = try h.queries { try $0.prove(key) }
        let value = try #require(maybeValue)
        let encoded = Canonical.encode(proof)
        #expect(verifies(proof, key.bytes, value, root, h.suite))

        for index in value.indices {
            var altered = value
            altered[index] ^= 0x01
            #expect(!verifies(proof, key.bytes, altered, root, h.suite), "value byte \(index)")
        }
        for index in root.bytes.indices {
            var altered = root.bytes
            altered[index] ^= 0x80
            #expect(!verifies(proof, key.bytes, value, Digest(unchecked: altered), h.suite), "root byte \(index)")
        }
        for index in encoded.indices {
            for flip: UInt8 in [0x01, 0x80] {
                var altered = encoded
                altered[index] ^= flip
                // Either the bytes no longer decode, or the decoded proof fails.
                if let decoded = try? Canonical.decode(StateProof.self, from: altered) {
                    #expect(!verifies(decoded, key.bytes, value, root, h.suite), "proof byte \(index)")
                }
            }
        }
    }

    @Test("An empty block leaves the root; an accepted transaction moves it, and so does a refusal's receipt (which is state)")
    func rootTracksState() throws {
        let h = try LedgerHarness(seed: 32)
        let before = try h.root()
        try h.block([])
        // An empty block changes only the chain head, which is not state.
        #expect(try h.root() == before)
        _ = try h.issue("RESIDENT_ID_CARD", to: try h.newKey(), by: "psb")
        let afterIssue = try h.root()
        #expect(afterIssue != before)
        // A refusal writes its receipt, which is state: the root moves, but
        // only by that receipt (checked in the reason-code scenarios).
        let refused = try h.run(.issueLicence(h.licenceIssue("RESIDENT_ID_CARD", holder: try h.newKey())), by: h.admin("samr"))
        #expect(refused.code == .notAuthorisedForLicenceType)
        #expect(try h.root() != afterIssue)
        #expect(try h.queries { try $0.receipt(of: refused.transaction) } == refused)
        #expect(try h.queries { try $0.licence(LicenceID(issuedBy: refused.transaction)) } == nil)
    }
}
