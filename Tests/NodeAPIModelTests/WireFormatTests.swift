import Foundation
import NodeAPIModel
import Testing

/// The JSON the node writes is what clients read: optional fields may be
/// absent, and every view survives a round trip unchanged.
@Suite("Wire format")
struct WireFormatTests {
    @Test("A long-term licence without validUntilMillis or supersession links decodes with nils")
    func optionalFieldsMayBeAbsent() throws {
        let json = """
            {"id":"ab","type":{"code":"RESIDENT_ID_CARD","nameZh":"居民身份证"},"issuer":{"id":"psb"},
             "holderKey":"02","holderCommitment":"cd","documentDigest":"ef","validFromMillis":1,"longTerm":true,
             "status":"valid","issuedAtHeight":3,"updatedAtHeight":3}
            """
        let licence = try JSONDecoder().decode(LicenceView.self, from: Data(json.utf8))
        #expect(licence.validUntilMillis == nil && licence.longTerm)
        #expect(licence.type.nameEn == nil && licence.type.nameZh == "居民身份证")
        #expect(licence.supersedes == nil && licence.supersededBy == nil)
        #expect(licence.issuer.nameZh == nil)
    }

    @Test("Status from a server that predates peerOffences decodes with nil; a newer one's with its entries")
    func statusPeerOffencesAreOptional() throws {
        let old = #"""
            {"nodeName":"node1","replica":0,"chainID":"c","suite":"standard","height":3,"blockHash":"ab","stateRoot":"cd",
             "blockTimeMillis":1,"view":0,"primary":0,"changingView":false,"connectedPeers":[1,2,3],"mempoolSize":0}
            """#
        let status = try JSONDecoder().decode(StatusView.self, from: Data(old.utf8))
        #expect(status.peerOffences == nil && status.certifiedHeight == nil)

        let newer = old.replacingOccurrences(
            of: #""mempoolSize":0"#, with: #""mempoolSize":0,"peerOffences":[{"peer":3,"reason":"equivocation","count":2}]"#)
        let withOffences = try JSONDecoder().decode(StatusView.self, from: Data(newer.utf8))
        #expect(withOffences.peerOffences == [PeerOffenceView(peer: 3, reason: "equivocation", count: 2)])
    }

    @Test("A missing required field is a decoding error naming it")
    func requiredFieldsAreRequired() {
        let json = #"{"status":"pending"}"#
        #expect {
            _ = try JSONDecoder().decode(PendingView.self, from: Data(json.utf8))
        } throws: { error in
            guard case let DecodingError.keyNotFound(key, _) = error else { return false }
            return key.stringValue == "txid"
        }
    }

    @Test("Views survive encode and decode unchanged")
    func roundTrip() throws {
        let receipt = ReceiptView(
            txid: "aa", height: 7, index: 0, kind: 62, kindName: "reimburseInvoice", sender: "02",
            code: "INVOICE_ALREADY_REIMBURSED", message: "already reimbursed at height 6", accepted: false)
        let verdict = VerdictView(
            passed: false, atMillis: 9, height: 7, licence: nil,
            checks: [.init(name: "consent", passed: false, code: "CONSENT_REVOKED", detail: "revoked by the holder")])
        #expect(try JSONDecoder().decode(ReceiptView.self, from: JSONEncoder().encode(receipt)) == receipt)
        #expect(try JSONDecoder().decode(VerdictView.self, from: JSONEncoder().encode(verdict)) == verdict)
        let pending = try JSONSerialization.jsonObject(with: JSONEncoder().encode(PendingView(txid: "aa"))) as? [String: String]
        #expect(pending == ["status": "pending", "txid": "aa"])
    }
}
