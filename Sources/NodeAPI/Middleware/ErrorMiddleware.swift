import Hummingbird
import Logging

/// Turns every failure into the JSON error body, so no client ever gets HTML
/// or an empty body: `APIError`s as they are, the router's "no such route" as
/// `UNKNOWN_ROUTE` or `METHOD_NOT_ALLOWED`, anything else as `INTERNAL`.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: RouteTable
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as any HTTPResponseError {
            if error.status == .notFound, context.endpointPath == nil || context.endpointPath == "NotFound" {
                return routes.fallback(for: request).response
            }
            if error.status == .contentTooLarge {
                return APIError(status: .contentTooLarge, code: APIErrorCode.bodyTooLarge, message: "the request body is too large").response
            }
            return APIError(status: error.status, code: Self.code(for: error.status), message: "\(error)").response
        } catch {
            logger.error("unexpected error answering \(request.method.rawValue) \(request.uri.path): \(error)")
            return APIError.internal("the node could not answer this request").response
        }
    }

    private static func code(for status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: return APIErrorCode.badParameter
        case 404: return APIErrorCode.notFound
        case 413: return APIErrorCode.bodyTooLarge
        case 503: return APIErrorCode.unavailable
        case 504: return APIErrorCode.timeout
        default: return APIErrorCode.internal
        }
    }
}
