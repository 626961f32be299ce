import Classifier
import Foundation
import HTTPTypes
import Hummingbird

/// Every error the HTTP API answers with: a stable `code`, a `message` that says what to do,
/// and the status. Body: `{"error": {"code": "...", "message": "..."}}`.
public struct APIError: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    /// The status of each pipeline error: 400 for requests that cannot be read, 413 above the
    /// byte limit, 415 for other formats, 422 for images that decode badly or fail a check.
    public init(_ error: ClassifierError) {
        let status: HTTPResponse.Status =
            switch error.code {
            case .emptyBody, .unknownModelVersion: .badRequest
            case .tooLarge: .contentTooLarge
            case .unsupportedType: .unsupportedMediaType
            case .tooManyPixels, .invalidImage, .lowQuality, .adversarialSuspected: .unprocessableContent
            case .inferenceFailed: .internalServerError
            }
        self.init(status, error.code.rawValue, error.message)
    }

    public init(_ error: StoreError) {
        self.init(.serviceUnavailable, "storage_unavailable", "The database is unavailable: \(error.message)", headers: [.retryAfter: "5"])
    }

    static func invalidRequest(_ message: String) -> APIError { APIError(.badRequest, "invalid_request", message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONBody.response(status, ErrorBody(error: .init(code: code, message: message)))
        response.headers.append(contentsOf: headers)
        return response
    }

    struct ErrorBody: Encodable {
        struct Detail: Encodable {
            let code: String
            let message: String
        }
        let error: Detail
    }
}
