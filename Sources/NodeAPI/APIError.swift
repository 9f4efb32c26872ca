import Foundation
import Hummingbird
import NodeAPIModel

/// Every refusal the API gives: an HTTP status and a JSON body
/// `{"code": "...", "message": "..."}`. The `code` is part of the API (clients
/// branch on it), so a code is never renamed or reused; the message is prose
/// for people and may be reworded.
public struct APIError: Error, Sendable, Hashable, CustomStringConvertible {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    /// Sent as `Retry-After` (seconds) with 503.
    public let retryAfterSeconds: Int?
    /// Sent as `Allow` with 405.
    public let allow: [HTTPRequest.Method]

    public init(
        status: HTTPResponse.Status, code: String, message: String, retryAfterSeconds: Int? = nil,
        allow: [HTTPRequest.Method] = []
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfterSeconds = retryAfterSeconds
        self.allow = allow
    }

    public var description: String { "\(status.code) \(code): \(message)" }
}

/// The stable codes this layer produces. Transaction rejections carry the
/// node's own codes (the backend's `SubmitOutcome.rejected`) instead.
public enum APIErrorCode {
    public static let badJSON = "BAD_JSON"
    public static let badHex = "BAD_HEX"
    public static let badParameter = "BAD_PARAMETER"
    public static let bodyTooLarge = "BODY_TOO_LARGE"
    public static let batchTooLarge = "BATCH_TOO_LARGE"
    public static let transactionTooLarge = "TRANSACTION_TOO_LARGE"
    public static let notFound = "NOT_FOUND"
    public static let unknownRoute = "UNKNOWN_ROUTE"
    public static let methodNotAllowed = "METHOD_NOT_ALLOWED"
    public static let mempoolFull = "MEMPOOL_FULL"
    public static let badRequestSignature = "BAD_REQUEST_SIGNATURE"
    public static let staleRequest = "STALE_REQUEST"
    public static let nonceReused = "NONCE_REUSED"
    public static let notHolder = "NOT_HOLDER"
    public static let rateLimited = "RATE_LIMITED"
    public static let unavailable = "UNAVAILABLE"
    public static let timeout = "TIMEOUT"
    public static let ledgerFault = "LEDGER_FAULT"
    public static let `internal` = "INTERNAL"
}

extension APIError {
    static func badJSON(_ why: String) -> APIError {
        APIError(status: .badRequest, code: APIErrorCode.badJSON, message: why)
    }

    static func badHex(_ field: String, _ why: String) -> APIError {
        APIError(status: .badRequest, code: APIErrorCode.badHex, message: "\(field): \(why)")
    }

    static func badParameter(_ name: String, _ why: String) -> APIError {
        APIError(status: .badRequest, code: APIErrorCode.badParameter, message: "\(name): \(why)")
    }

    static func bodyTooLarge(limit: Int) -> APIError {
        APIError(
            status: .contentTooLarge, code: APIErrorCode.bodyTooLarge,
            message: "the request body is over the limit of \(limit) bytes for this route")
    }

    static func notFound(_ what: String) -> APIError {
        APIError(status: .notFound, code: APIErrorCode.notFound, message: what)
    }

    static func unknownRoute(_ method: HTTPRequest.Method, _ path: String) -> APIError {
        APIError(status: .notFound, code: APIErrorCode.unknownRoute, message: "no route \(method.rawValue) \(path)")
    }

    static func methodNotAllowed(_ method: HTTPRequest.Method, _ path: String, allow: [HTTPRequest.Method]) -> APIError {
        APIError(
            status: .methodNotAllowed, code: APIErrorCode.methodNotAllowed,
            message: "\(path) does not accept \(method.rawValue); it accepts \(allow.map(\.rawValue).joined(separator: ", "))",
            allow: allow)
    }

    static func mempoolFull(retryAfterSeconds: Int) -> APIError {
        APIError(
            status: .serviceUnavailable, code: APIErrorCode.mempoolFull,
            message: "the mempool is full; retry after \(retryAfterSeconds) s", retryAfterSeconds: retryAfterSeconds)
    }

    static func badRequestSignature(_ why: String) -> APIError {
        APIError(status: .unauthorized, code: APIErrorCode.badRequestSignature, message: why)
    }

    static func staleRequest(_ why: String) -> APIError {
        APIError(status: .unauthorized, code: APIErrorCode.staleRequest, message: why)
    }

    static func nonceReused() -> APIError {
        APIError(
            status: .unauthorized, code: APIErrorCode.nonceReused,
            message: "this nonce was already used with this key; sign the request again with a fresh nonce")
    }

    static func rateLimited(retryAfterSeconds: Int) -> APIError {
        APIError(
            status: .tooManyRequests, code: APIErrorCode.rateLimited,
            message: "this key has used its budget of signed requests; retry after \(retryAfterSeconds) s",
            retryAfterSeconds: retryAfterSeconds)
    }

    static func notHolder(_ why: String) -> APIError {
        APIError(status: .forbidden, code: APIErrorCode.notHolder, message: why)
    }

    static func unavailable(_ why: String, retryAfterSeconds: Int) -> APIError {
        APIError(
            status: .serviceUnavailable, code: APIErrorCode.unavailable, message: why,
            retryAfterSeconds: retryAfterSeconds)
    }

    static func timeout(_ limit: Duration) -> APIError {
        APIError(status: .gatewayTimeout, code: APIErrorCode.timeout, message: "no answer within \(limit)")
    }

    static func ledgerFault(_ why: String) -> APIError {
        APIError(status: .internalServerError, code: APIErrorCode.ledgerFault, message: why)
    }

    static func `internal`(_ why: String) -> APIError {
        APIError(status: .internalServerError, code: APIErrorCode.internal, message: why)
    }

    /// The backend's refusal, as the client sees it.
    static func backend(_ error: NodeBackendError, retryAfterSeconds: Int) -> APIError {
        switch error {
        case let .unavailable(why): return .unavailable(why, retryAfterSeconds: retryAfterSeconds)
        case let .ledger(why): return .ledgerFault(why)
        }
    }
}

extension APIError {
    /// The JSON response for this error.
    var response: Response {
        var response = JSONResponse.make(ErrorBody(code: code, message: message), status: status)
        if let retryAfterSeconds {
            response.headers[.retryAfter] = String(max(retryAfterSeconds, 1))
        }
        if !allow.isEmpty {
            response.headers[.allow] = allow.map(\.rawValue).joined(separator: ", ")
        }
        return response
    }
}
