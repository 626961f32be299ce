import Classifier
import Hummingbird

/// `GET /healthz` (the process answers), `GET /readyz` (models and index loaded, database
/// reachable; 503 `not_ready` otherwise), `GET /metrics` (Prometheus text),
/// `GET /v1/models` (the versions, their classifiers, traffic weights and statistics —
/// accuracy over the answers with feedback among them) and
/// `GET /openapi.json` (`OpenAPIDocument`, the API's contract).
struct OperationsRoutes {
    let service: ClassificationService
    let metrics: ServiceMetrics

    func register(on router: Router<BasicRequestContext>) {
        router.get("/healthz") { _, _ in JSONBody.response(.ok, ["status": "ok"]) }
        router.get("/readyz") { _, _ in try await ready() }
        router.get("/metrics") { _, _ in
            // The accuracy gauges come from the shared database; a failed read keeps the last values.
            if let stats = try? await service.store.versionStats() { metrics.accuracy(stats) }
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        router.get("/v1/models") { _, _ in try await models() }
        router.get("/openapi.json") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
    }

    struct Readiness: Encodable {
        let status: String
        let modelVersions: [String]
        let indexItems: Int
        let database: String
        enum CodingKeys: String, CodingKey { case status, modelVersions = "model_versions", indexItems = "index_items", database }
    }

    func ready() async throws -> Response {
        do {
            try await service.store.ping()
        } catch {
            throw APIError(.serviceUnavailable, .notReady, "The database is unreachable: \(error.message)", headers: [.retryAfter: "5"])
        }
        return JSONBody.response(
            .ok,
            Readiness(
                status: "ready", modelVersions: service.registry.current.versions.map(\.id), indexItems: service.index.count,
                database: service.store.kind))
    }

    struct VersionBody: Encodable {
        let id: String
        let architecture: String
        /// `imagenet`, `nearest-items` or `head`.
        let classifier: String
        /// The version whose items this one shares (the first on the same model and weights).
        let backbone: String
        let traffic: Double
        let primary: Bool
        let stats: VersionStats?
    }

    func models() async throws -> Response {
        let stats: [VersionStats]
        do {
            stats = try await service.store.versionStats()
        } catch {
            throw APIError(error)
        }
        let registry = service.registry.current
        let primary = registry.primary.id
        let body = registry.versions.map { version in
            VersionBody(
                id: version.id, architecture: version.spec.architecture, classifier: version.spec.classifier.kind, backbone: version.backbone,
                traffic: version.spec.traffic, primary: version.id == primary,
                stats: stats.first { $0.modelVersion == version.id })
        }
        return JSONBody.response(.ok, ["versions": body])
    }
}
