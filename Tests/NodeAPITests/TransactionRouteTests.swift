import Foundation
import Hummingbird
import HummingbirdTesting
import LedgerCore
import LedgerState
import NodeAPI
import Testing

@Suite("Transactions: submit, batch, receipts")
struct TransactionRouteTests {
    /// The same body runs in-process and over a real socket, so what the
    /// router answers is what a client on the wire gets.
    @Test("Submit, see it pending, commit, read the receipt; a resubmission is `known`",
          arguments: [TestingSetup.router, TestingSetup.live])
    func submitThenReceipt(_ setup: TestingSetup) async throws {
        let fixture = try APIFixture()
        let chain = fixture.chain
        let holder = try chain.newKey()
        let tx = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: holder)), by: chain.admin("psb"))
        let txid = chain.id(tx).hex

        try await fixture.test(setup) { client in
            let submitted = try await client.post("/v1/transactions", object: ["transaction": chain.hex(tx)])
            #expect(submitted.status == .accepted)
            let body = try submitted.json()
            #expect(body["txid"] as? String == txid)
            #expect(body["status"] as? String == "accepted")

            let pending = try await client.get("/v1/transactions/\(txid)/receipt")
            #expect(pending.status == .accepted)
            #expect(try pending.json()["status"] as? String == "pending")

            try fixture.backend.commit()

            let receipt = try await client.get("/v1/transactions/\(txid)/receipt")
            #expect(receipt.status == .ok)
            let json = try receipt.json()
            #expect(json["txid"] as? String == txid)
            #expect(json["height"] as? Int == 1)
            #expect(json["index"] as? Int == 0)
            #expect(json["kind"] as? Int == 20)
            #expect(json["kindName"] as? String == "issueLicence")
            #expect(json["sender"] as? String == chain.admin("psb").publicKey.compressed.hex)
            #expect(json["code"] as? String == "OK")
            #expect(json["accepted"] as? Bool == true)

            let again = try await client.post("/v1/transactions", object: ["transaction": chain.hex(tx)])
            #expect(again.status == .accepted)
            #expect(try again.json()["status"] as? String == "known")
        }
    }

    @Test("A receipt request with ?wait= answers once the block is applied")
    func receiptWaitsForCommit() async throws {
        let fixture = try APIFixture()
        let chain = fixture.chain
        let tx = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: try chain.newKey())), by: chain.admin("psb"))
        let outcomes = await fixture.backend.submit([Canonical.encode(tx)])
        #expect(outcomes == [.accepted(chain.id(tx))])
        try await fixture.test(.router) { client in
            let done = Flag()
            let request = Task {
                defer { done.set() }
                return try await client.get("/v1/transactions/\(chain.id(tx).hex)/receipt?wait=30000")
            }
            // Commit only once the request is parked in the backend's wait, so
            // the 200 proves the wait was passed through and noticed the
            // commit. Were `wait` dropped, the request would answer 202 before
            // the commit and fail the check below.
            while fixture.backend.waitingReceipts == 0, !done.isSet { await Task.yield() }
            try fixture.backend.commit()
            let response = try await request.value
            #expect(response.status == .ok)
            #expect(try response.json()["code"] as? String == "OK")
        }
    }

    @Test("A refused transaction's receipt carries the ledger's reason code")
    func refusedReceipt() async throws {
        let fixture = try APIFixture()
        let chain = fixture.chain
        // samr may not issue identity cards.
        let tx = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: try chain.newKey())), by: chain.admin("samr"))
        try await fixture.test(.router) { client in
            #expect(try await client.post("/v1/transactions", object: ["transaction": chain.hex(tx)]).status == .accepted)
            try fixture.backend.commit()
            let json = try await client.get("/v1/transactions/\(chain.id(tx).hex)/receipt").json()
            #expect(json["code"] as? String == "NOT_AUTHORISED_FOR_LICENCE_TYPE")
            #expect(json["accepted"] as? Bool == false)
            #expect((json["message"] as? String)?.isEmpty == false)
        }
    }

    @Test("An unknown txid is 404; a malformed one or a bad ?wait is 400")
    func receiptErrors() async throws {
        let fixture = try APIFixture()
        try await fixture.test(.router) { client in
            let unknown = try await client.get("/v1/transactions/\(String(repeating: "ab", count: 32))/receipt")
            #expect(unknown.status == .notFound)
            #expect(try unknown.errorCode() == "NOT_FOUND")
            let short = try await client.get("/v1/transactions/abcd/receipt")
            #expect(short.status == .badRequest)
            #expect(try short.errorCode() == "BAD_HEX")
            let badWait = try await client.get("/v1/transactions/\(String(repeating: "ab", count: 32))/receipt?wait=-1")
            #expect(badWait.status == .badRequest)
            #expect(try badWait.errorCode() == "BAD_PARAMETER")
            let unknownParameter = try await client.get("/v1/transactions/\(String(repeating: "ab", count: 32))/receipt?wiat=5")
            #expect(try unknownParameter.errorCode() == "BAD_PARAMETER")
        }
    }

    @Test("Bad hex, undecodable DER and a bad signature are refused with 400 and a code")
    func rejected() async throws {
        let fixture = try APIFixture()
        let chain = fixture.chain
        let tx = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: try chain.newKey())), by: chain.admin("psb"))
        var tamperedBytes = Canonical.encode(tx)
        tamperedBytes[tamperedBytes.count - 1] ^= 0x01  // last signature byte
        let tampered = tamperedBytes
        try await fixture.test(.router) { client in
            let notHex = try await client.post("/v1/transactions", object: ["transaction": "zz"])
            #expect(notHex.status == .badRequest)
            #expect(try notHex.errorCode() == "BAD_HEX")
            let odd = try await client.post("/v1/transactions", object: ["transaction": "abc"])
            #expect(try odd.errorCode() == "BAD_HEX")
            let prefixed = try await client.post("/v1/transactions", object: ["transaction": "0x" + chain.hex(tx)])
            #expect(try prefixed.errorCode() == "BAD_HEX")

            let undecodable = try await client.post("/v1/transactions", object: ["transaction": "3000"])
            #expect(undecodable.status == .badRequest)
            #expect(try undecodable.errorCode() == "MALFORMED_TRANSACTION")  // the backend's code, passed through

            let badSignature = try await client.post("/v1/transactions", object: ["transaction": Hex.encode(tampered)])
            #expect(badSignature.status == .badRequest)
            #expect(try badSignature.errorCode() == "BAD_SIGNATURE")

            let tooLong = try await client.post(
                "/v1/transactions", object: ["transaction": String(repeating: "00", count: SignedTransaction.maxEncodedSize + 1)])
            #expect(tooLong.status == .badRequest)
            #expect(try tooLong.errorCode() == "TRANSACTION_TOO_LARGE")
        }
        #expect(fixture.backend.mempoolCount == 0)
    }

    @Test("A full mempool answers 503 with Retry-After, for one transaction and for an all-full batch")
    func mempoolFull() async throws {
        let fixture = try APIFixture()
        let chain = fixture.chain
        fixture.backend.setCapacity(1)
        let first = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: try chain.newKey())), by: chain.admin("psb"))
        let second = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: try chain.newKey())), by: chain.admin("psb"))
        let third = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: try chain.newKey())), by: chain.admin("psb"))
        try await fixture.test(.router) { client in
            #expect(try await client.post("/v1/transactions", object: ["transaction": chain.hex(first)]).status == .accepted)
            let full = try await client.post("/v1/transactions", object: ["transaction": chain.hex(second)])
            #expect(full.status == .serviceUnavailable)
            #expect(full.headers[.retryAfter] == "3")
            #expect(try full.errorCode() == "MEMPOOL_FULL")

            let allFull = try await client.post("/v1/transactions/batch", object: ["transactions": [chain.hex(second), chain.hex(third)]])
            #expect(allFull.status == .serviceUnavailable)
            #expect(allFull.headers[.retryAfter] == "3")

            // One item known, one full: not every item was refused for fullness.
            let mixed = try await client.post("/v1/transactions/batch", object: ["transactions": [chain.hex(first), chain.hex(second)]])
            #expect(mixed.status == .ok)
            let results = try #require(try mixed.json()["results"] as? [[String: Any]])
            #expect(results.map { $0["status"] as? String } == ["known", "full"])
            #expect(results[1]["code"] as? String == "MEMPOOL_FULL")
            #expect(results[1]["retryAfterSeconds"] as? Int == 3)
        }
    }

    @Test("A batch answers one result per item, in order: accepted, known, refused")
    func batch() async throws {
        let fixture = try APIFixture()
        let chain = fixture.chain
        let a = try chain.tx(.issueLicence(chain.licenceIssue("RESIDENT_ID_CARD", holder: try chain.newKey())), by: chain.admin("psb"))
        let b = try chain.tx(.issueLicence(chain.licenceIssue("DRIVING_LICENCE", holder: try chain.newKey())), by: chain.admin("psb"))
        try await fixture.test(.router) { client in
            let response = try await client.post(
                "/v1/transactions/batch", object: ["transactions": [chain.hex(a), chain.hex(a), "nothex", chain.hex(b), "3000"]])
            #expect(response.status == .ok)
            let results = try #require(try response.json()["results"] as? [[String: Any]])
            #expect(results.map { $0["status"] as? String } == ["accepted", "known", "rejected", "accepted", "rejected"])
            #expect(results.map { $0["code"] as? String } == [nil, nil, "BAD_HEX", nil, "MALFORMED_TRANSACTION"])
            #expect(results[0]["txid"] as? String == chain.id(a).hex)
            #expect(results[3]["txid"] as? String == chain.id(b).hex)

            let empty = try await client.post("/v1/transactions/batch", object: ["transactions": [String]()])
            #expect(empty.status == .badRequest)
        }
        #expect(fixture.backend.mempoolCount == 2)
    }

    @Test("Bodies over the caps are refused with 413 before the node sees them")
    func bodyCaps() async throws {
        let fixture = try APIFixture { $0.maxBatchTransactions = 3 }
        try await fixture.test(.router) { client in
            let huge = String(repeating: "0", count: 256 * 1024 + 1)
            let single = try await client.post("/v1/transactions", json: #"{"transaction":"\#(huge)"}"#)
            #expect(single.status == .contentTooLarge)
            #expect(try single.errorCode() == "BODY_TOO_LARGE")

            let tooMany = try await client.post("/v1/transactions/batch", object: ["transactions": ["00", "00", "00", "00"]])
            #expect(tooMany.status == .contentTooLarge)
            #expect(try tooMany.errorCode() == "BATCH_TOO_LARGE")
        }
        #expect(fixture.backend.mempoolCount == 0)
    }
}
