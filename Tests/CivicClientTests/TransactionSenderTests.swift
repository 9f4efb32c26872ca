import CivicClient
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import Synchronization
import Testing

@Suite("Transaction sender")
struct TransactionSenderTests {
    func operation() throws -> LedgerOperation {
        .revokeConsent(ConsentAction(consent: ConsentID(Digest(unchecked: [UInt8](repeating: 1, count: 32))), licence: nil))
    }

    @Test("Signs for the node's chain, retries a full mempool, polls until the receipt comes")
    func sendsAndWaits() async throws {
        let key = try CryptoSuites.standard.generatePrivateKey()
        let polls = Atomic<Int>(0)
        let submissions = Atomic<Int>(0)
        let transport = ScriptedTransport { request throws(ClientError) in
            switch (request.method, request.target) {
            case ("GET", "/v1/status"):
                return json(200, statusJSON)
            case ("POST", "/v1/transactions"):
                if submissions.add(1, ordering: .relaxed).newValue == 1 {
                    // What the node sends: the error body, and the wait in Retry-After.
                    return json(503, #"{"code":"MEMPOOL_FULL","message":"the mempool is full"}"#, headers: ["retry-after": "1"])
                }
                return json(202, #"{"status":"accepted","txid":"abcd"}"#)
            case ("GET", let target) where target.hasPrefix("/v1/transactions/abcd/receipt?wait="):
                if polls.add(1, ordering: .relaxed).newValue < 3 { return json(202, #"{"status":"pending","txid":"abcd"}"#) }
                return json(200, """
                    {"txid":"abcd","height":11,"index":0,"kind":41,"kindName":"revokeConsent","sender":"02",
                     "code":"CONSENT_UNKNOWN","message":"no such grant","accepted":false}
                    """)
            default:
                return json(404, #"{"code":"NOT_FOUND","message":"\#(request.target)"}"#)
            }
        }
        // The wait is wall-clock time, which a loaded test machine can spend without
        // running this task at all; the scripted node answers at once anyway.
        let sender = TransactionSender(client: NodeClient(transport: transport, node: "test"), expiryBlocks: 50, wait: .seconds(3600))
        let chain = try await sender.chain()
        let signed = try sender.sign(try operation(), key: key, chain: chain)
        #expect(signed.transaction.chainID.value == "civic-devnet")
        #expect(signed.transaction.expiryHeight.value == 60)
        #expect(CryptoSuites.standard.verify(signature: signed.signature, for: signed.transaction.signingMessage, publicKey: key.publicKey))
        let committed = try await sender.send(signed)
        #expect(committed.txid == "abcd")
        #expect(committed.receipt.code == "CONSENT_UNKNOWN" && !committed.receipt.accepted)
        #expect(submissions.load(ordering: .relaxed) == 2)
        #expect(polls.load(ordering: .relaxed) == 3)
    }

    @Test("A refusal at admission is thrown with its code; a receipt that never comes ends at the wait")
    func refusedOrNeverCommitted() async throws {
        let key = try CryptoSuites.standard.generatePrivateKey()
        let refusing = ScriptedTransport { request throws(ClientError) in
            request.target == "/v1/status"
                ? json(200, statusJSON)
                : json(400, #"{"code":"BAD_SIGNATURE","message":"the signature does not verify"}"#)
        }
        let sender = TransactionSender(client: NodeClient(transport: refusing, node: "test"))
        let chain = try await sender.chain()
        let signed = try sender.sign(try operation(), key: key, chain: chain)
        await #expect(throws: ClientError.rejected(code: "BAD_SIGNATURE", message: "the signature does not verify")) {
            try await sender.send(signed)
        }
        let silent = ScriptedTransport { request throws(ClientError) in
            request.method == "POST" ? json(202, #"{"status":"accepted","txid":"ee"}"#) : json(202, #"{"status":"pending","txid":"ee"}"#)
        }
        let patient = TransactionSender(client: NodeClient(transport: silent, node: "test"), wait: .milliseconds(300))
        await #expect(throws: ClientError.notCommitted(txid: "ee", waitedMillis: 300)) {
            try await patient.send(signed)
        }
    }

    @Test("A key of another suite than the chain's is refused before anything is sent")
    func wrongSuite() async throws {
        let transport = ScriptedTransport { _ throws(ClientError) in json(200, statusJSON) }
        let sender = TransactionSender(client: NodeClient(transport: transport, node: "test"))
        let chain = try await sender.chain()
        let guomiKey = try CryptoSuites.guomi.generatePrivateKey()
        #expect(throws: ClientError.self) { try sender.sign(try operation(), key: guomiKey, chain: chain) }
    }
}
