import Classifier
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The outermost middleware of every route.
///
/// - Request id: the request's id (Hummingbird's, on every log line of `context.logger` as
///   `hb.request.id`) is returned in `X-Request-ID`.
/// - Errors: every error becomes the JSON error shape with its status (`APIError` as is;
///   Hummingbird's own errors — unknown route, body too large — mapped to codes; anything else
///   500 `internal`, logged).
/// - Metrics: in-flight gauge, duration per route template, errors by code.
struct APIMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        metrics.inFlight.increment()
        defer { metrics.inFlight.decrement() }
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            let apiError = Self.apiError(for: error)
            if apiError.status.code >= 500 {
                context.logger.error("request failed", metadata: ["code": .string(apiError.code.rawValue), "error": .string("\(error)")])
            } else {
                context.logger.info("request rejected", metadata: ["code": .string(apiError.code.rawValue), "status": .stringConvertible(apiError.status.code)])
            }
            metrics.error(code: apiError.code.rawValue)
            response = try apiError.response(from: request, context: context)
        }
        response.headers[.requestID] = context.id
        metrics.request(
            route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: response.status.code,
            duration: ContinuousClock.now - start)
        return response
    }

    static func apiError(for error: any Error) -> APIError {
        if let error = error as? APIError { return error }
        if let error = error as? ClassifierError { return APIError(error) }
        if let error = error as? StoreError { return APIError(error) }
        if let error = error as? any HTTPResponseError {
            switch error.status {
            case .notFound: return APIError(.notFound, .notFound, "No such route; see Docs/Service.md for the API.")
            case .methodNotAllowed: return APIError(.methodNotAllowed, .methodNotAllowed, "This route does not take that method.")
            case .contentTooLarge: return APIError(.contentTooLarge, .tooLarge, "The request body is too large; send a smaller image.")
            case .badRequest: return APIError.invalidRequest("The request is malformed (\(error)); check its parameters.")
            default: return APIError(error.status, .http, "\(error)")
            }
        }
        return APIError(.internalServerError, .internal, "An unexpected error occurred; the request id in X-Request-ID names it in the logs.")
    }
}
