import Classifier
import HTTPTypes
import Hummingbird

/// `POST /v1/classify` and `POST /v1/classify/batch`.
///
/// Query: `include_embedding=true` adds the embedding; `model_version=ID` (or the header
/// `X-Model-Version`) forces a version; otherwise the A/B router chooses, sticky on the client
/// key header (`X-Client-ID` by default).
struct ClassifyRoutes {
    let service: ClassificationService
    let configuration: ServiceConfiguration

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/classify") { request, context in try await classify(request, context) }
        router.post("/v1/classify/batch") { request, context in try await classifyBatch(request, context) }
    }

    func classify(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var request = request
        let parameters = try serviceRequest(request, context)
        let bytes = try await RequestBody.image(&request, limit: configuration.limits.maxBodyBytes)
        let outcome = try await service.classify(bytes, parameters)
        return JSONBody.response(.ok, outcome)
    }

    /// Multipart body, one part per image (any part names), at most `limits.max_batch` parts.
    func classifyBatch(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var request = request
        let limits = configuration.limits
        guard let boundary = RequestBody.multipartBoundary(request) else {
            throw APIError.invalidRequest("A batch is a multipart/form-data body with one part per image.")
        }
        let parameters = try serviceRequest(request, context)
        let body = try await RequestBody.collect(&request, limit: limits.maxBatch * (limits.maxBodyBytes + 64 * 1024))
        let images = try RequestBody.parts(of: body, boundary: boundary).map(\.bytes)
        guard !images.isEmpty else { throw APIError.invalidRequest("The batch holds no images; send one part per image.") }
        guard images.count <= limits.maxBatch else {
            throw APIError(.contentTooLarge, .batchTooLarge, "The batch holds \(images.count) images, more than \(limits.maxBatch); split it.")
        }
        let (version, results) = try await service.classifyBatch(images, parameters)
        let entries = results.enumerated().map { position, result in
            switch result {
            case .success(let outcome): BatchEntry(index: position, result: outcome, error: nil)
            case .failure(let error): BatchEntry(index: position, result: nil, error: .init(code: error.code.rawValue, message: error.message))
            }
        }
        return JSONBody.response(.ok, BatchResponse(requestID: context.id, modelVersion: version, results: entries))
    }

    private func serviceRequest(_ request: Request, _ context: BasicRequestContext) throws(APIError) -> ClassificationService.Request {
        let query = request.uri.queryParameters
        let clientKey = HTTPField.Name(configuration.clientKeyHeader).flatMap { request.headers[$0] }
        let requested = query.get("model_version").map { String($0) } ?? request.headers[.modelVersion]
        return ClassificationService.Request(
            requestID: context.id, clientKey: clientKey, requestedVersion: requested,
            includeEmbedding: try RequestQuery.flag("include_embedding", of: request), logger: context.logger)
    }

    struct BatchEntry: Encodable {
        let index: Int
        let result: ClassificationResponse?
        let error: APIError.ErrorBody.Detail?
    }

    struct BatchResponse: Encodable {
        let requestID: String
        let modelVersion: String
        let results: [BatchEntry]

        enum CodingKeys: String, CodingKey { case requestID = "request_id", modelVersion = "model_version", results }
    }
}
