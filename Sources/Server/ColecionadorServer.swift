import Classifier
import CNN
import CollectionLearning
import Foundation
import Hummingbird
import Logging
import Models
import NIOCore
import ServiceLifecycle

/// One service instance: the store (migrated), the model registry, the similar-items index
/// (`ItemIndex.recover`: its snapshot when the snapshot's ids and vectors agree with the items
/// table, plus the items committed after it was saved; else rebuilt from the table), the
/// caches, limiter and metrics, and the Hummingbird application serving them.
///
/// Lifecycle: `make` → `application(host:port:)` run under a `ServiceGroup` (graceful
/// shutdown on SIGTERM/SIGINT lets in-flight requests finish) → `shutdown()` saves the index
/// snapshot and closes the store.
public final class ColecionadorServer: Sendable {
    public let configuration: ServiceConfiguration
    public let metrics: ServiceMetrics
    let service: ClassificationService
    let snapshotURL: URL?
    /// Whether the index came from its snapshot (and how many newer items were added) or was
    /// rebuilt from the table, and why.
    public let indexRecovery: ItemIndex.Recovery
    /// Follows the `item_changes` log so that items registered or deleted through other
    /// instances sharing the database reach this instance's index; run it beside the server.
    public let synchronizer: IndexSynchronizer
    let jobs: TrainingJobs
    let logger: Logger

    /// Migrates the store, records the model versions and loads the index.
    public static func make(
        configuration: ServiceConfiguration, registry configured: ModelRegistry, store: any Store, logger: Logger
    ) async throws -> ColecionadorServer {
        try await store.migrate()
        try await store.registerModelVersions(configured.versions.map(\.spec))
        let registry = try await addTrainedVersions(to: configured, store: store, logger: logger)
        let primary = registry.primary
        // Read before the items: a change committed while they are read is applied again later.
        let changesApplied = try await store.latestItemChange()
        let items = try await store.items(modelVersion: primary.id)
        let snapshotURL = configuration.indexSnapshot.map { URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: configuration.baseDirectory, isDirectory: true)) }
        if let snapshotURL {
            for path in ItemIndex.removeInterruptedSaves(beside: snapshotURL) {
                logger.warning("removed the temporary file of an interrupted snapshot save", metadata: ["path": .string(path)])
            }
        }
        let (index, recovery) = try ItemIndex.recover(
            snapshot: snapshotURL, items: items.map(\.summary), embeddings: items.map(\.embedding),
            dimension: primary.model.embeddingDimension, modelVersion: primary.id)
        switch recovery {
        case .snapshot(let added):
            logger.info(
                "index loaded from snapshot",
                metadata: ["items": .stringConvertible(items.count), "added_from_table": .stringConvertible(added), "path": .string(snapshotURL?.path ?? "")])
        case .rebuilt(let reason):
            logger.info("index rebuilt from the items table", metadata: ["items": .stringConvertible(items.count), "reason": .string(reason)])
        }
        // A snapshot the table had moved past is refreshed now, so that a crash before the next
        // graceful shutdown does not pay for the same recovery again.
        if let snapshotURL, recovery != .snapshot(added: 0) {
            do {
                try index.save(to: snapshotURL)
            } catch {
                logger.warning("index snapshot not refreshed; the next start recovers again", metadata: ["error": .string("\(error)")])
            }
        }
        let metrics = ServiceMetrics()
        let limits = configuration.limits
        let budget = ComputeBudget(concurrentInferences: limits.maxConcurrentInferences)
        logger.info("compute budget", metadata: ["budget": .string(budget.description)])
        let limiter = InferenceLimiter(
            budget: budget, maxQueued: limits.maxQueued,
            maxWait: .milliseconds(Int64(limits.requestTimeoutSeconds * 1000)), metrics: metrics)
        // The other backbones' indexes are rebuilt from the table at every start (no snapshot):
        // items registered before a backbone was configured have no embedding under it.
        var otherIndexes: [ItemIndex] = []
        for version in registry.versions where version.backbone == version.id && version.backbone != primary.backbone {
            let embedded = try await store.items(modelVersion: version.backbone)
            otherIndexes.append(
                try ItemIndex.rebuild(
                    items: embedded.map(\.summary), embeddings: embedded.map(\.embedding), dimension: version.model.embeddingDimension,
                    modelVersion: version.backbone))
            logger.info("index of another backbone built from the table", metadata: ["backbone": .string(version.backbone), "items": .stringConvertible(embedded.count)])
        }
        let service = ClassificationService(
            registry: registry, configuration: configuration, store: store, index: index, otherIndexes: otherIndexes, limiter: limiter,
            metrics: metrics)
        let synchronizer = IndexSynchronizer(store: store, indexes: [index] + otherIndexes, after: changesApplied, logger: logger)
        let jobs = TrainingJobs(headsDirectory: configuration.resolvedHeadsDirectory, logger: logger)
        return ColecionadorServer(
            configuration: configuration, metrics: metrics, service: service, snapshotURL: snapshotURL, indexRecovery: recovery,
            synchronizer: synchronizer, jobs: jobs, logger: logger)
    }

    /// The configured versions plus those trained through the API (`model_versions` rows with
    /// `source = 'trained'`), each over the loaded model of the configured version with its
    /// architecture and weights. A trained version whose backbone is no longer configured, or
    /// whose head file is gone or does not fit, is left out with a warning: it never stops a start.
    static func addTrainedVersions(to configured: ModelRegistry, store: any Store, logger: Logger) async throws -> ModelRegistry {
        var registry = configured
        for spec in try await store.trainedVersions() where !registry.versions.contains(where: { $0.id == spec.id }) {
            let metadata: Logger.Metadata = ["version": .string(spec.id)]
            guard let base = registry.versions.first(where: { $0.spec.architecture == spec.architecture && $0.spec.weights == spec.weights }),
                case .head(let file) = spec.classifier
            else {
                logger.warning("trained version left out: no configured version has its architecture and weights", metadata: metadata)
                continue
            }
            do {
                let head = try HeadFile.read(file, for: HeadBackbone(base.model))
                registry = try registry.adding(ModelVersion(spec: spec, model: base.model, classifier: .head(head)))
                logger.info("trained version loaded", metadata: metadata)
            } catch {
                logger.warning("trained version left out: \(error)", metadata: metadata)
            }
        }
        return registry
    }

    private init(
        configuration: ServiceConfiguration, metrics: ServiceMetrics, service: ClassificationService, snapshotURL: URL?,
        indexRecovery: ItemIndex.Recovery, synchronizer: IndexSynchronizer, jobs: TrainingJobs, logger: Logger
    ) {
        self.jobs = jobs
        self.synchronizer = synchronizer
        self.configuration = configuration
        self.metrics = metrics
        self.service = service
        self.snapshotURL = snapshotURL
        self.indexRecovery = indexRecovery
        self.logger = logger
    }

    /// The router with every route behind `APIMiddleware`; with `tracing`, behind Hummingbird's
    /// `TracingMiddleware` first (outermost): it continues an incoming W3C `traceparent` (with the
    /// bootstrapped tracer's propagator) and opens the server span that every span of the
    /// request descends from. Without it no request pays for tracing.
    public func router(tracing: Bool = false) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        if tracing { router.add(middleware: TracingMiddleware()) }
        router.add(middleware: APIMiddleware(metrics: metrics, slowRequest: .milliseconds(configuration.limits.slowRequestMilliseconds)))
        ClassifyRoutes(service: service, configuration: configuration).register(on: router)
        ItemRoutes(service: service, configuration: configuration).register(on: router)
        CollectionRoutes(service: service, jobs: jobs).register(on: router)
        OperationsRoutes(service: service, metrics: metrics).register(on: router)
        return router
    }

    /// The HTTP application on `host:port` (port 0: an ephemeral port, reported through
    /// `onServerRunning`). `services` run beside it (e.g. the PostgreSQL client). `tracing`: a
    /// server span per request (`router(tracing:)`), for a process whose tracer is bootstrapped.
    public func application(
        host: String, port: Int, services: [any Service] = [], tracing: Bool = false,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            router: router(tracing: tracing),
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
            return try ModelRegistry(specs: models, baseDirectory: baseDirectory, preparedCache: preparedParameterCache)
        }
        let catalog = try ModelCatalog.locate()
        let model = BuiltInModel.efficientNetLite0
        let spec = ModelVersionSpec(
            id: model.rawValue, architecture: model.rawValue, weights: catalog.path(model.bundledWeightsFile!),
            labels: model.bundledLabelsFile.map(catalog.path), traffic: 100)
        return try ModelRegistry(specs: [spec], baseDirectory: baseDirectory, preparedCache: preparedParameterCache)
    }

    /// `heads_directory` resolved against the configuration file's directory.
    public var resolvedHeadsDirectory: String? {
        headsDirectory.map { $0.hasPrefix("/") ? $0 : URL(fileURLWithPath: baseDirectory).appendingPathComponent($0).standardizedFileURL.path }
    }

    /// `prepared_cache` resolved: `off` disables sharing, a relative path is relative to the
    /// configuration file's directory, nil falls back to `PreparedParameterCache.standard()`.
    public var preparedParameterCache: PreparedParameterCache? {
        guard let directory = preparedCache else { return .standard() }
        if directory.isEmpty || directory == "off" { return nil }
        let absolute = directory.hasPrefix("/") ? directory : URL(fileURLWithPath: baseDirectory).appendingPathComponent(directory).path
        return PreparedParameterCache(directory: absolute)
    }
}
