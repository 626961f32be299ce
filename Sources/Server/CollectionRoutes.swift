import Classifier
import CollectionLearning
import Hummingbird

/// The collection's learning loop over HTTP:
///
/// - `POST /v1/predictions/{request_id}/feedback` `{"category": "…", "position": 0}`: the right
///   category of an answered image (`position`: its place in a batch; 0 by default). 404 when no
///   image of that request was answered; a second answer replaces the first. Answers
///   `Feedback` (with whether the version was right).
/// - `POST /v1/models/{id}/train` `{"version": "new-id", "traffic": 0, "hidden_units": 512,
///   "max_epochs": 200, "seed": 1}`: trains a head over version `id`'s backbone from the items
///   table, in the background (`TrainingJobs`); 202 with the job.
/// - `GET /v1/training-jobs/{id}`: the job (status, progress, report or error).
struct CollectionRoutes {
    let service: ClassificationService
    let jobs: TrainingJobs

    func register(on router: Router<BasicRequestContext>) {
        router.post("/v1/predictions/{request_id}/feedback") { request, context in try await feedback(request, context) }
        router.post("/v1/models/{id}/train") { request, context in try await train(request, context) }
        router.get("/v1/training-jobs/{id}") { _, context in try job(context) }
    }

    struct FeedbackBody: Decodable {
        var category: String
        var position: Int?
    }

    func feedback(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var request = request
        let requestID = context.parameters.get("request_id") ?? ""
        let body = try JSONBody.decode(FeedbackBody.self, from: try await RequestBody.collect(&request, limit: 64 * 1024))
        let position = body.position ?? 0
        guard position >= 0 else { throw APIError.invalidRequest("'position' is an image's place in its request, from 0.") }
        let category: String
        do {
            category = try CategoryName.validated(body.category)
        } catch {
            throw APIError(error)
        }
        let stored: Feedback?
        do {
            stored = try await service.store.recordFeedback(requestID: requestID, position: position, category: category)
        } catch {
            throw APIError(error)
        }
        guard let stored else {
            throw APIError.notFound(
                "No image of request '\(requestID)' at position \(position) was answered; use the request_id of a successful classification.")
        }
        context.logger.info(
            "feedback recorded",
            metadata: ["for_request": .string(requestID), "model_version": .string(stored.modelVersion), "correct": .stringConvertible(stored.correct)])
        return JSONBody.response(.ok, stored)
    }

    func train(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var request = request
        let base = context.parameters.get("id") ?? ""
        let body = try JSONBody.decode(TrainingJobs.Request.self, from: try await RequestBody.collect(&request, limit: 64 * 1024))
        let job = try await jobs.start(base: base, body, service: service)
        var response = JSONBody.response(.accepted, job)
        response.headers[.location] = "/v1/training-jobs/\(job.id)"
        return response
    }

    func job(_ context: BasicRequestContext) throws -> Response {
        let id = context.parameters.get("id") ?? ""
        guard let job = jobs.job(id) else { throw APIError.notFound("There is no training job '\(id)' on this instance.") }
        return JSONBody.response(.ok, job)
    }
}
