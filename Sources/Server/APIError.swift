import Classifier
import CollectionLearning
import Foundation
import HTTPTypes
import Hummingbird

/// Every error the HTTP API answers with: a stable `code`, a `message` that says what to do,
/// and the status. Body: `{"error": {"code": "...", "message": "..."}}`.
public struct APIError: Error, HTTPResponseError, Sendable {
    /// The stable `error.code` of the JSON error body: every code the service answers with.
    public enum Code: String, Sendable, CaseIterable, CustomStringConvertible {
        case invalidRequest = "invalid_request"
        case invalidJSON = "invalid_json"
        case notFound = "not_found"
        case methodNotAllowed = "method_not_allowed"
        case tooLarge = "too_large"
        case batchTooLarge = "batch_too_large"
        case overloaded
        case timeout
        case notReady = "not_ready"
        case storageUnavailable = "storage_unavailable"
        case `internal`
        /// Any other HTTP-level rejection by the server framework; the status says which.
        case http
        // The pipeline's, one for each `ClassifierError.Code` (`init(_ code: ClassifierError.Code)`).
        case emptyBody = "empty_body"
        case unsupportedType = "unsupported_type"
        case tooManyPixels = "too_many_pixels"
        case invalidImage = "invalid_image"
        case lowQuality = "low_quality"
        case adversarialSuspected = "adversarial_suspected"
        case unknownModelVersion = "unknown_model_version"
        case inferenceFailed = "inference_failed"
        case emptyCollection = "empty_collection"
        // The collection's (`CollectionError.Code`s that a request can cause).
        case invalidCategory = "invalid_category"
        case insufficientTrainingData = "insufficient_training_data"
        case invalidOptions = "invalid_options"
        /// A new model version's id is taken.
        case versionExists = "version_exists"
        /// Training needs somewhere to write heads (`heads_directory`).
        case trainingUnavailable = "training_unavailable"

        /// The API code of a pipeline error (the same string; `APIErrorCodeTests` checks that
        /// every pipeline code has one, so this cannot fail at run time).
        public init(_ code: ClassifierError.Code) {
            self = Code(rawValue: code.rawValue)!
        }

        public var description: String { rawValue }
    }

    public let status: HTTPResponse.Status
    public let code: Code
    public let message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ code: Code, _ message: String, headers: HTTPFields = [:]) {
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
            case .emptyCollection: .conflict
            }
        self.init(status, Code(error.code), error.message)
    }

    /// A collection error caused by a request: 400 for a bad category name or option, 409 for a
    /// collection that cannot be trained on (yet).
    public init(_ error: CollectionError) {
        switch error.code {
        case .invalidCategory: self.init(.badRequest, .invalidCategory, error.message)
        case .invalidOptions: self.init(.badRequest, .invalidOptions, error.message)
        case .insufficientTrainingData: self.init(.conflict, .insufficientTrainingData, error.message)
        case .emptyCollection: self.init(.conflict, .emptyCollection, error.message)
        case .invalidFeatures, .invalidHeadFile, .backboneMismatch: self.init(.internalServerError, .internal, error.message)
        }
    }

    public init(_ error: StoreError) {
        self.init(.serviceUnavailable, .storageUnavailable, "The database is unavailable: \(error.message)", headers: [.retryAfter: "5"])
    }

    static func invalidRequest(_ message: String) -> APIError { APIError(.badRequest, .invalidRequest, message) }
    static func notFound(_ message: String) -> APIError { APIError(.notFound, .notFound, message) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONBody.response(status, ErrorBody(error: .init(code: code.rawValue, message: message)))
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
