import Hummingbird
@testable import NodeAPI
import Testing

@Suite("Body limits")
struct BodyLimitTests {
    /// A body sent without Content-Length (chunked) is cut off at the cap while read.
    @Test("A body without Content-Length is refused once it passes the cap")
    func streamedBody() async throws {
        let head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/v1/verify")
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(string: String(repeating: "x", count: 101))))
        #expect(request.headers[.contentLength] == nil)
        await #expect(throws: APIError.bodyTooLarge(limit: 100)) {
            _ = try await JSONBody.read(request, limit: 100)
        }
        let small = Request(head: head, body: RequestBody(buffer: ByteBuffer(string: "{}")))
        #expect(try await JSONBody.read(small, limit: 100).readableBytes == 2)
    }

    /// A declared oversize body is refused from its header alone, before the
    /// node reads (and buffers) a byte of it.
    @Test("A body whose Content-Length is over the cap is refused without being read")
    func declaredBody() async throws {
        var head = HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/v1/verify")
        head.headerFields.set("Content-Length", "1000000")
        // The body itself is tiny: only the header can cause the refusal.
        let request = Request(head: head, body: RequestBody(buffer: ByteBuffer(string: "{}")))
        await #expect(throws: APIError.bodyTooLarge(limit: 100)) {
            _ = try await JSONBody.read(request, limit: 100)
        }
    }
}
