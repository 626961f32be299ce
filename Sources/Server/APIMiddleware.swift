import Classifier
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Tracing

/// The outermost middleware of every route.
///
/// - Request id: an incoming `X-Request-ID` (nginx's `$request_id`, a client's) of 1–128
///   letters, digits, `-`, `_`, `.` or `:` becomes the request's id; otherwise Hummingbird's own.
///   It is on every log line of `context.logger` (`hb.request.id`), in the JSON answers
///   (`request_id`, stored with the prediction) and returned in `X-Request-ID`.
/// - Slow requests: one warning line for a request slower than `slowRequest`.
/// - Errors: every error becomes the JSON error shape with its status (`APIError` as is;
///   Hummingbird's own errors — unknown route, body too large — mapped to codes; anything else
///   500 `internal`, logged).
/// - Metrics: in-flight gauge, duration per route template, errors by code.
/// - Traces (when `TracingMiddleware` runs before it, i.e. tracing is on): the request id
///   becomes the server span's `colecionador.request_id`, and every answer carries the W3C
///   `traceparent` of that span, so a client can look its request up in the trace store.
///   Off, there is no current `ServiceContext` and neither costs anything.
struct APIMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics
    var slowRequest: Duration = .milliseconds(500)

    /// The id an incoming `X-Request-ID` may set: short, and safe in logs and headers.
    static func acceptedRequestID(_ value: String?) -> String? {
        guard let value, (1...128).contains(value.utf8.count),
            value.utf8.allSatisfy({ $0 < 128 && (Character(Unicode.Scalar($0)).isLetter || Character(Unicode.Scalar($0)).isNumber || "-_.:".utf8.contains($0)) })
        else { return nil }
        return value
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var context = context
        if let incoming = Self.acceptedRequestID(request.headers[.requestID]) {
            context.logger[metadataKey: "hb.request.id"] = .string(incoming)
        }
        let serviceContext = ServiceContext.current
        if let serviceContext, let serverSpan = InstrumentationSystem.tracer.activeSpan(identifiedBy: serviceContext) {
            serverSpan.attributes["colecionador.request_id"] = context.id
        }
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
        if let serviceContext {
            InstrumentationSystem.instrument.inject(serviceContext, into: &response.headers, using: HTTPFieldsInjector())
        }
        let duration = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.request(route: route, method: request.method.rawValue, status: response.status.code, duration: duration)
        if duration > slowRequest {
            context.logger.warning(
                "slow request",
                metadata: [
                    "route": .string(route), "method": .string(request.method.rawValue), "status": .stringConvertible(response.status.code),
                    "duration_ms": .stringConvertible((duration.milliseconds * 10).rounded() / 10),
                ])
        }
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
