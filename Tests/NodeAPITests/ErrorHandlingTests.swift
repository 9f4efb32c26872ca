import Foundation
import Hummingbird
import HummingbirdTesting
import NodeAPI
import Testing

@Suite("Errors are JSON with a stable code")
struct ErrorHandlingTests {
    @Test("Unknown routes are 404 JSON and known paths with another method 405 with Allow",
          arguments: [TestingSetup.router, TestingSetup.live])
    func routing(_ setup: TestingSetup) async throws {
        let fixture = try APIFixture()
        try await fixture.test(setup) { client in
            for path in ["/", "/v1", "/v2/status", "/v1/blocks/1/extra", "/index.html"] {
                let response = try await client.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType] == "application/json; charset=utf-8", "\(path)")
                #expect(try response.errorCode() == "UNKNOWN_ROUTE", "\(path)")
            }
            let wrongMethod = try await client.execute(uri: "/v1/status", method: .delete)
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "GET")
            #expect(try wrongMethod.errorCode() == "METHOD_NOT_ALLOWED")
            let getSubmit = try await client.get("/v1/transactions")
            #expect(getSubmit.status == .methodNotAllowed)
            #expect(getSubmit.headers[.allow] == "POST")
            let postReceipt = try await client.post("/v1/transactions/\(String(repeating: "00", count: 32))/receipt", json: "{}")
            #expect(postReceipt.status == .methodNotAllowed)
        }
    }

    @Test("Bad JSON bodies are 400 BAD_JSON naming what is wrong")
    func badJSON() async throws {
        let fixture = try APIFixture()
        try await fixture.test(.router) { client in
            for body in ["", "{", "[]", "not json", #"{"transactions": "00"}"#, #"{"transaction": null}"#] {
                let response = try await client.post("/v1/transactions", json: body)
                #expect(response.status == .badRequest, "\(body)")
                #expect(try response.errorCode() == "BAD_JSON", "\(body)")
            }
            let missing = try await client.post("/v1/transactions", json: #"{"tx": "00"}"#)
            #expect((try missing.json()["message"] as? String)?.contains("transaction") == true)
        }
    }

    /// Both test clients announce Content-Length; `BodyLimitTests` tells the
    /// refusal from the header apart from the one while reading.
    @Test("An oversized body is 413 BODY_TOO_LARGE, in process and on the wire",
          arguments: [TestingSetup.router, TestingSetup.live])
    func oversized(_ setup: TestingSetup) async throws {
        let fixture = try APIFixture()
        let body = #"{"licence":""# + String(repeating: "0", count: 20_000) + #""}"#
        try await fixture.test(setup) { client in
            let response = try await client.post("/v1/verify", json: body)
            #expect(response.status == .contentTooLarge)
            #expect(try response.errorCode() == "BODY_TOO_LARGE")
        }
    }
}
