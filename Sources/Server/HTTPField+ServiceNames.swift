import HTTPTypes

/// The service's own header names.
extension HTTPField.Name {
    /// The request's id, returned on every answer.
    static let requestID = HTTPField.Name("X-Request-ID")!
    /// Forces a model version (same as the query parameter `model_version`).
    static let modelVersion = HTTPField.Name("X-Model-Version")!
}
