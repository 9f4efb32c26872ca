import CivicClient
import Foundation
import LedgerCore
import LedgerCrypto
import LedgerState
import NodeAPIModel
import Testing

@Suite("Node client")
struct NodeClientTests {
    @Test("An error body becomes a refusal with its code; other failures say what came back")
    func refusals() async throws {
        let transport = ScriptedTransport { request throws(ClientError) in
            switch request.target {
            case "/v1/licences/ab": return json(404, #"{"code":"NOT_FOUND","message":"no licence ab"}"#)
            case "/v1/status": return json(200, #"{"nodeName":"x"}"#)
            default: return json(502, "<html>bad gateway</html>")
            }
        }
        let client = NodeClient(transport: transport, node: "test")
        await #expect(throws: ClientError.refused(status: 404, code: "NOT_FOUND", message: "no licence ab")) {
            try await client.licence(id: "AB")
        }
        do {
            _ = try await client.status()
            Issue.record("a status without its fields decoded")
        } catch {
            guard case let .badResponse(text) = error else { throw error }
            #expect(text.contains("missing field replica"))
        }
        do {
            _ = try await client.bureaus()
            Issue.record("an HTML 502 decoded")
        } catch {
            guard case let .badResponse(text) = error else { throw error }
            #expect(text.contains("HTTP 502"))
        }
    }

    @Test("Ids that are not hex never reach the path; query values are percent-encoded")
    func inputsAreKeptInTheirPlace() async throws {
        let transport = ScriptedTransport { _ throws(ClientError) in
            json(200, #"{"party":"x","role":"seller","invoices":[]}"#)
        }
        let client = NodeClient(transport: transport, node: "test")
        await #expect(throws: ClientError.self) { try await client.licence(id: "../status") }
        await #expect(throws: ClientError.self) { try await client.invoice(code: "", number: "1") }
        _ = try await client.invoices(.init(party: "91440300 A&B", role: "seller", fromMillis: 5))
        #expect(transport.sent.map(\.target) == ["/v1/invoices?party=91440300%20A%26B&role=seller&from=5"])
    }

    @Test("Holder reads carry the four signature headers over the exact target")
    func signedReads() async throws {
        let suite = CryptoSuites.standard
        let key = try suite.generatePrivateKey()
        let transport = ScriptedTransport { request throws(ClientError) in
            json(200, #"{"holder":"\#(key.publicKey.compressed.hex)","consents":[]}"#)
        }
        let client = NodeClient(transport: transport, node: "test")
        _ = try await client.consents(holder: key, suite: suite, limit: 5)
        let request = try #require(transport.sent.first)
        #expect(request.target == "/v1/holders/\(key.publicKey.compressed.hex)/consents?limit=5")
        let headers = request.headers
        let timestamp = try #require(headers[SignedRequest.timestampHeader].flatMap(UInt64.init))
        let nonce = try #require(headers[SignedRequest.nonceHeader].flatMap(Hex.decode))
        let signature = try #require(headers[SignedRequest.signatureHeader].flatMap(Hex.decode))
        #expect(headers[SignedRequest.keyHeader] == key.publicKey.compressed.hex)
        let message = SignedRequest.signingMessage(method: "GET", target: request.target, timestampMillis: timestamp, nonce: nonce)
        #expect(suite.verify(signature: signature, for: message, publicKey: key.publicKey))
    }
}
