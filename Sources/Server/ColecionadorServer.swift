import Classifier
import Foundation
import Hummingbird
import Logging
import Models
import NIOCore
import ServiceLifecycle

/// One service instance: the store (migrated), the model registry, the similar-items index
/// (loaded from its snapshot when that matches the items table, else rebuilt from the table),
/// the caches, limiter and metrics, and the Hummingbird application serving them.
///
/// Lifecycle: `prepare` → `application(host:port:)` run under a `ServiceGroup` (graceful
/// shutdown on SIGTERM/SIGINT lets in-flight requests finish) → `shutdown()` saves the index
/// snapshot and closes the store.
public final class ColecionadorServer: Sendable {
    public let configuration: ServiceConfiguration
    public let metrics: ServiceMetrics
    let service: ClassificationService
    let snapshotURL: URL?
    let logger: Logger

    /// Migrates the store, records the model versions and loads the index.
    public static func prepare(
        configuration: ServiceConfiguration, registry: ModelRegistry, store: any Store, logger: Logger
    ) async throws -> ColecionadorServer {
        try await store.migrate()
        try await store.registerModelVersions(registry.versions.map(\.spec))
        let primary = registry.primary
        let items = try await store.items(modelVersion: primary.id)
        let dimension = primary.model.embeddingDimension
        let summaries = items.map(\.summary)
        let snapshotURL = configuration.indexSnapshot.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: configuration.baseDirectory, isDirectory: true)) }
        let index: ItemIndex
        if let snapshotURL, let loaded = ItemIndex.loadSnapshot(from: snapshotURL, items: summaries, dimension: dimension, modelVersion: primary.id) {
            index = loaded
            logger.info("index loaded from snapshot", metadata: ["items": .stringConvertible(items.count), "path": .string(snapshotURL.path)])
        } else {
            index = try ItemIndex.rebuild(items: summaries, embeddings: items.map(\.embedding), dimension: dimension, modelVersion: primary.id)
            logger.info("index rebuilt from the items table", metadata: ["items": .stringConvertible(items.count)])
        }
        let metrics = ServiceMetrics()
        let limits = configuration.limits
        let limiter = InferenceLimiter(
            maxConcurrent: limits.maxConcurrentInferences, maxQueued: limits.maxQueued,
            maxWait: .milliseconds(Int64(limits.requestTimeoutSeconds * 1000)), metrics: metrics)
        let service = ClassificationService(
            registry: registry, configuration: configuration, store: store, index: index, limiter: limiter, metrics: metrics)
        return ColecionadorServer(configuration: configuration, metrics: metrics, service: service, snapshotURL: snapshotURL, logger: logger)
    }

    private init(configuration: ServiceConfiguration, metrics: ServiceMetrics, service: ClassificationService, snapshotURL: URL?, logger: Logger) {
        self.configuration = configuration
        self.metrics = metrics
        self.service = service
        self.snapshotURL = snapshotURL
        self.logger = logger
    }

    /// The router with every route behind `APIMiddleware`.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: APIMiddleware(metrics: metrics))
        ClassifyRoutes(service: service, configuration: configuration).register(on: router)
        ItemRoutes(service: service, configuration: configuration).register(on: router)
        OperationsRoutes(service: service, metrics: metrics).register(on: router)
        return router
    }

    /// The HTTP application on `host:port` (port 0: an ephemeral port, reported through
    /// `onServerRunning`). `services` run beside it (e.g. the PostgreSQL client).
    public func application(
        host: String, port: Int, services: [any Service] = [],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(),
            configuration: .init(address: .hostname(host, port: port), serverName: "colecionador"),
            services: services,
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
    }

    /// Saves the index snapshot (when configured) and closes the store.
    public func shutdown() async {
        if let snapshotURL {
            do {
                try service.index.save(to: snapshotURL)
                logger.info("index snapshot saved", metadata: ["path": .string(snapshotURL.path)])
            } catch {
                logger.error("index snapshot not saved; the next start rebuilds it", metadata: ["error": .string("\(error)")])
            }
        }
        await service.store.close()
    }
}

extension ServiceConfiguration {
    /// The configured model versions, or the bundled EfficientNet-Lite0 alone (found by
    /// `ModelCatalog.locate()`) under the id `efficientnet-lite0`.
    public func makeRegistry() throws -> ModelRegistry {
        if let models {
            return try ModelRegistry(specs: models, baseDirectory: baseDirectory)
        }
        let catalog = try ModelCatalog.locate()
        let model = BuiltInModel.efficientNetLite0
        let spec = ModelVersionSpec(
            id: model.rawValue, architecture: model.rawValue, weights: catalog.path(model.bundledWeightsFile!),
            labels: model.bundledLabelsFile.map(catalog.path), traffic: 100)
        return try ModelRegistry(specs: [spec], baseDirectory: baseDirectory)
    }
}
