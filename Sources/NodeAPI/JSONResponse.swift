import Foundation
import Hummingbird

/// One JSON encoding for every response: sorted keys so that the same value
/// always gives the same bytes (diffable, cacheable, easy to test).
enum JSONResponse {
    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(value)
        } catch {
            // Views hold only strings, integers, booleans and arrays of them, so
            // encoding cannot fail; should it, the client still gets JSON.
            data = Data(#"{"code":"INTERNAL","message":"the response could not be encoded"}"#.utf8)
            return Response(
                status: .internalServerError, headers: [.contentType: contentType],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
        }
        return Response(status: status, headers: [.contentType: contentType], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    static let contentType = "application/json; charset=utf-8"
}
