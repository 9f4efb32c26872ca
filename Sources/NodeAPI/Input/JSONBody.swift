import Foundation
import Hummingbird

/// Reads a request body under a byte cap and decodes it as JSON.
enum JSONBody {
    static func read(_ request: Request, limit: Int) async throws(APIError) -> ByteBuffer {
        // Refuse a declared oversize body before reading a byte of it.
        if let declared = request.headers[.contentLength].flatMap({ Int($0) }), declared > limit {
            throw .bodyTooLarge(limit: limit)
        }
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            // NIO's "too many bytes", which Hummingbird maps to 413.
            throw .bodyTooLarge(limit: limit)
        } catch {
            throw .badJSON("the request body could not be read: \(error)")
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws(APIError) -> T {
        let buffer = try await read(request, limit: limit)
        guard buffer.readableBytes > 0 else { throw .badJSON("the request body is empty; a JSON object is expected") }
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw .badJSON(describe(error))
        } catch {
            throw .badJSON("the body is not valid JSON")
        }
    }

    /// One line naming the field, rather than Foundation's debug dump.
    static func describe(_ error: DecodingError) -> String {
        func path(_ keys: [any CodingKey]) -> String {
            keys.isEmpty ? "the body" : keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case let .keyNotFound(key, context):
            return "\(path(context.codingPath + [key])) is missing"
        case let .typeMismatch(type, context):
            return "\(path(context.codingPath)) should be \(describe(type))"
        case let .valueNotFound(type, context):
            return "\(path(context.codingPath)) should be \(describe(type)), not null"
        case let .dataCorrupted(context):
            return context.codingPath.isEmpty ? "the body is not valid JSON" : "\(path(context.codingPath)) is out of range or malformed"
        @unknown default:
            return "the body does not match the expected shape"
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is UInt64.Type, is Int.Type: return "an unsigned integer"
        case is Bool.Type: return "a boolean"
        default: return type is any Collection.Type ? "an array" : "an object"
        }
    }
}
