import Classifier
import Foundation
import Logging
import Tracing

/// The service around the pipeline: chooses the model version, consults the caches (this
/// process's LRU, then the shared `predictions` table), runs the pipeline under the inference
/// limiter, finds similar items, persists every outcome and counts it in the metrics.
///
/// Order for one image: validate (SHA-256) → memory cache → store cache → decode, checks,
/// preprocess, infer (one slot of the limiter) → similar items → one transaction storing the
/// outcome. Errors are stored too (they count in the per-version error rate), then rethrown.
/// The adversarial policy is applied to fresh and cached classifications alike (a suspected
/// image is cached with its score, so sending it again is rejected without inference).
///
/// Traces: one span `colecionador.classify` per request (attributes `colecionador.request_id`,
/// `colecionador.model_version`, `colecionador.images`), and under it a span per stage named
/// like the stage timings: `classifier.validate`, `classifier.cache`, then the pipeline's
/// `decode`, `quality`, `preprocess` and `infer` (under the caller's context on the limiter's
/// thread), `classifier.search` and `classifier.store`. Item photos get the same stages under
/// the caller's span.
final class ClassificationService: Sendable {
    let registry: LiveRegistry
    let pipeline: ClassificationPipeline
    let cache: ResultCache
    let cacheTimeToLive: Double
    let store: any Store
    /// The primary version's backbone's items (the one with a snapshot, shown by `/readyz`).
    let index: ItemIndex
    /// Every backbone's items, by backbone (`ModelVersion.backbone`), the primary's included.
    let indexes: [String: ItemIndex]
    let limiter: InferenceLimiter
    let metrics: ServiceMetrics
    let similarCount: Int

    init(
        registry: ModelRegistry, configuration: ServiceConfiguration, store: any Store, index: ItemIndex, otherIndexes: [ItemIndex] = [],
        limiter: InferenceLimiter, metrics: ServiceMetrics
    ) {
        self.registry = LiveRegistry(registry)
        self.pipeline = ClassificationPipeline(configuration: configuration.pipeline)
        self.cache = ResultCache(maxBytes: configuration.cache.maxBytes, timeToLive: .seconds(configuration.cache.ttlSeconds))
        self.cacheTimeToLive = configuration.cache.ttlSeconds
        self.store = store
        self.index = index
        self.indexes = Dictionary(uniqueKeysWithValues: ([index] + otherIndexes).map { ($0.modelVersion, $0) })
        self.limiter = limiter
        self.metrics = metrics
        self.similarCount = configuration.similarItems
    }

    struct Request: Sendable {
        var requestID: String
        var clientKey: String?
        var requestedVersion: String?
        var includeEmbedding: Bool
        var logger: Logger
    }

    /// Classifies one image: a batch of one (`classifyBatch`), whose error is thrown.
    func classify(_ bytes: [UInt8], _ request: Request) async throws -> ClassificationResponse {
        let (version, results) = try await classifyBatch([bytes], request)
        switch results[0] {
        case .success(let outcome):
            request.logger.info(
                "classified",
                metadata: [
                    "model_version": .string(version), "class": .string(outcome.answer.label),
                    "confidence": .stringConvertible(outcome.answer.confidence), "cache": .string(outcome.cacheHit ? "hit" : "miss"),
                ])
            return outcome
        case .failure(let error):
            throw error
        }
    }

    /// Classifies up to `limits.maxBatch` images with one forward pass for all cache misses
    /// and one transaction for all outcomes. Each image gets its answer or its own error.
    func classifyBatch(_ images: [[UInt8]], _ request: Request) async throws -> (version: String, results: [Result<ClassificationResponse, APIError>]) {
        try await withSpan("colecionador.classify") { span in
            span.attributes["colecionador.request_id"] = request.requestID
            span.attributes["colecionador.images"] = images.count
            let version = try registry.current.choose(requested: request.requestedVersion, clientKey: request.clientKey)
            span.attributes["colecionador.model_version"] = version.id
            return try await classifyBatch(images, version: version, request)
        }
    }

    private func classifyBatch(
        _ images: [[UInt8]], version: ModelVersion, _ request: Request
    ) async throws -> (version: String, results: [Result<ClassificationResponse, APIError>]) {
        let start = ContinuousClock.now
        var results = [Result<ClassificationResponse, APIError>?](repeating: nil, count: images.count)
        var uploads = [ValidatedUpload?](repeating: nil, count: images.count)
        var timings = [StageTimings](repeating: StageTimings(), count: images.count)
        var misses: [Int] = []
        // Fresh classifications join the memory cache after the transaction commits (as in `classify`).
        var fresh: [(ResultCache.Key, Classification)] = []
        for (position, bytes) in images.enumerated() {
            do {
                let upload = try pipeline.validate(bytes, timings: &timings[position])
                uploads[position] = upload
                if let cached = try await cached(upload.sha256, version: version, timings: &timings[position], logger: request.logger) {
                    try pipeline.screen(cached)
                    results[position] = .success(
                        try makeOutcome(cached, version: version, upload: upload, hit: true, timings: timings[position], request: request))
                } else {
                    misses.append(position)
                }
            } catch let error as ClassifierError {
                results[position] = .failure(APIError(error))
            }
        }
        if !misses.isEmpty {
            let missUploads = misses.map { uploads[$0]! }
            let computed: ([Int], [Classification], [(Int, ClassifierError)], [StageTimings], StageTimings)
            do {
                computed = try await limiter.run { [pipeline, limiter] in
                var inputs: [(Int, ModelInput)] = []
                var failures: [(Int, ClassifierError)] = []
                var stageTimings = [StageTimings](repeating: StageTimings(), count: missUploads.count)
                for (slot, upload) in missUploads.enumerated() {
                    do {
                        inputs.append((slot, try pipeline.preprocess(upload, for: version, timings: &stageTimings[slot])))
                    } catch let error as ClassifierError {
                        failures.append((slot, error))
                    }
                }
                var shared = StageTimings()
                let classifications = try pipeline.infer(
                    inputs.map(\.1), version: version, timings: &shared, threads: limiter.layerThreads())
                return (inputs.map(\.0), classifications, failures, stageTimings, shared)
                }
            } catch let error as APIError {
                // No inference slot (shed or timed out): every miss gets the error, and the
                // outcomes are recorded like any other.
                for position in misses { results[position] = .failure(error) }
                computed = ([], [], [], [], StageTimings())
            }
            let (slots, classifications, failures, stageTimings, shared) = computed
            for (slot, failure) in failures { results[misses[slot]] = .failure(APIError(failure)) }
            for (slot, classification) in zip(slots, classifications) {
                let position = misses[slot]
                var imageTimings = timings[position]
                imageTimings.merge(stageTimings[slot])
                imageTimings.merge(shared)
                let key = ResultCache.Key(sha256: uploads[position]!.sha256, modelVersion: version.id)
                if let rejection = Self.rejection(of: classification, by: pipeline) {
                    cache.insert(classification, for: key)
                    results[position] = .failure(APIError(rejection))
                    continue
                }
                // The backbone's output is cached even when the version's classifier cannot
                // answer yet (an empty collection): it does not depend on the collection.
                fresh.append((key, classification))
                do {
                    results[position] = .success(
                        try makeOutcome(classification, version: version, upload: uploads[position]!, hit: false, timings: imageTimings, request: request))
                } catch {
                    results[position] = .failure(APIError(error))
                }
            }
        }
        let elapsed = (ContinuousClock.now - start).milliseconds
        let now = Date().timeIntervalSince1970
        let final = results.map { $0! }
        let outcomes = final.enumerated().map { position, result in
            switch result {
            case .success(let outcome):
                ABTestRecord(
                    requestID: request.requestID, position: position, clientKey: request.clientKey, modelVersion: version.id,
                    sha256: outcome.sha256, outcome: "ok", classification: outcome.classification, answer: outcome.answer,
                    cacheHit: outcome.cacheHit, latencyMilliseconds: elapsed, timestamp: now)
            case .failure(let error):
                ABTestRecord(
                    requestID: request.requestID, position: position, clientKey: request.clientKey, modelVersion: version.id,
                    sha256: uploads[position]?.sha256, outcome: error.code.rawValue, classification: nil, answer: nil, cacheHit: false,
                    latencyMilliseconds: elapsed, timestamp: now)
            }
        }
        let storeStart = ContinuousClock.now
        try await withSpan("classifier.store") { span in
            span.attributes["colecionador.records"] = outcomes.count
            do throws(StoreError) {
                try await store.record(outcomes)
            } catch {
                throw APIError(error)
            }
        }
        let storeTime = ContinuousClock.now - storeStart
        for (key, classification) in fresh { cache.insert(classification, for: key) }
        let answered = final.map { result in
            result.map { outcome in
                var outcome = outcome
                outcome.timings.record("store", storeTime)
                return outcome
            }
        }
        for result in answered {
            switch result {
            case .success(let outcome): report(outcome.timings, version: version.id, outcome: "ok", confidence: outcome.answer.confidence)
            case .failure(let error): report(StageTimings(), version: version.id, outcome: error.code.rawValue, confidence: nil)
            }
        }
        return (version.id, answered)
    }

    /// The embeddings of an item photo: under the primary version's backbone (the index's), with
    /// the same validation and quality checks as a classification, and under every other
    /// backbone the service runs (for their own indexes), in one inference slot. (Its
    /// classification is not cached: no prediction row is written for it, and a cached answer
    /// must have one.)
    func embedItemPhoto(_ bytes: [UInt8], logger: Logger) async throws -> (ValidatedUpload, Classification, others: [String: [Float]]) {
        let registry = registry.current
        let version = registry.primary
        // One version per other backbone: the first that runs it (its backbone's id).
        let others = registry.versions.filter { $0.backbone == $0.id && $0.backbone != version.backbone }
        do {
            var timings = StageTimings()
            let upload = try pipeline.validate(bytes, timings: &timings)
            let key = ResultCache.Key(sha256: upload.sha256, modelVersion: version.id)
            let cached = withSpan("classifier.cache") { span in
                let hit = cache.value(for: key)
                span.attributes["colecionador.cache"] = hit == nil ? "miss" : "memory"
                return hit
            }
            if cached != nil { metrics.cache(layer: "memory", hit: true) }
            if let cached, others.isEmpty { return (upload, cached, [:]) }
            let (classification, embeddings) = try await limiter.run { [pipeline, limiter] in
                var timings = StageTimings()
                let primary = try cached ?? pipeline.infer(
                    [try pipeline.preprocess(upload, for: version, timings: &timings)], version: version, timings: &timings,
                    threads: limiter.layerThreads())[0]
                var embeddings: [String: [Float]] = [:]
                for other in others {
                    let input = try pipeline.preprocess(upload, for: other, timings: &timings)
                    embeddings[other.backbone] = try pipeline.infer([input], version: other, timings: &timings, threads: limiter.layerThreads())[0].embedding
                }
                return (primary, embeddings)
            }
            logger.debug("item photo embedded", metadata: ["model_version": .string(version.id), "other_backbones": .stringConvertible(others.count)])
            return (upload, classification, embeddings)
        } catch let error as ClassifierError {
            throw APIError(error)
        }
    }

    /// The memory cache, then the store's predictions; a store hit is copied into memory. With
    /// adversarial detection on, a classification stored without a score counts as a miss.
    /// Traced as `classifier.cache`, whose `colecionador.cache` says `memory`, `store` or `miss`.
    private func cached(_ sha256: String, version: ModelVersion, timings: inout StageTimings, logger: Logger) async throws -> Classification? {
        try await withSpan("classifier.cache") { span in
            let found = try await lookUp(sha256, version: version, timings: &timings, logger: logger)
            span.attributes["colecionador.cache"] = found?.layer ?? "miss"
            return found?.classification
        }
    }

    /// `cached`'s lookup, with the layer that answered.
    private func lookUp(
        _ sha256: String, version: ModelVersion, timings: inout StageTimings, logger: Logger
    ) async throws -> (classification: Classification, layer: String)? {
        let key = ResultCache.Key(sha256: sha256, modelVersion: version.id)
        let needsScore = pipeline.configuration.adversarial.isEnabled
        if let hit = cache.value(for: key), !needsScore || hit.adversarialScore != nil {
            metrics.cache(layer: "memory", hit: true)
            logger.debug("cache hit", metadata: ["layer": "memory", "sha256": .string(sha256)])
            return (hit, "memory")
        }
        metrics.cache(layer: "memory", hit: false)
        let clock = ContinuousClock()
        let begin = clock.now
        var stored: Classification?
        do {
            stored = try await store.cachedPrediction(
                sha256: sha256, modelVersion: version.id, notBefore: Date().timeIntervalSince1970 - cacheTimeToLive)
        } catch {
            throw APIError(error)
        }
        timings.record("cache", clock.now - begin)
        if needsScore, stored?.adversarialScore == nil { stored = nil }
        metrics.cache(layer: "store", hit: stored != nil)
        logger.debug("cache \(stored == nil ? "miss" : "hit")", metadata: ["layer": "store", "sha256": .string(sha256)])
        guard let stored else { return nil }
        cache.insert(stored, for: key)
        return (stored, "store")
    }

    /// The version's answer (its classifier over the backbone's output) and the similar items
    /// (the items of the version's backbone), timed and traced as the `search` stage.
    private func makeOutcome(
        _ classification: Classification, version: ModelVersion, upload: ValidatedUpload, hit: Bool, timings: StageTimings, request: Request
    ) throws(ClassifierError) -> ClassificationResponse {
        var timings = timings
        let configuration = pipeline.configuration
        let (answer, similar) = try ClassificationPipeline.stage("search", &timings) { () throws(ClassifierError) -> (Answer, [SimilarItem]) in
            let items = indexes[version.backbone] ?? index
            let answer = try version.answer(
                for: classification, index: items, acceptanceThreshold: configuration.acceptanceThreshold, topK: configuration.topK)
            guard version.backbone == items.modelVersion else { return (answer, []) }
            do {
                return (answer, try items.similar(to: classification.embedding, k: similarCount))
            } catch {
                throw ClassifierError(.inferenceFailed, "The similar-items search failed: \(error).")
            }
        }
        let policy = pipeline.configuration.adversarial
        return ClassificationResponse(
            classification: classification, answer: answer,
            adversarialSuspected: policy.isEnabled ? classification.adversarialScore.map(policy.detector.isSuspected(score:)) : nil,
            similarItems: similar, cacheHit: hit, sha256: upload.sha256,
            includeEmbedding: request.includeEmbedding, timings: timings, requestID: request.requestID)
    }

    /// The adversarial policy's rejection of `classification`, if it rejects it.
    private static func rejection(of classification: Classification, by pipeline: ClassificationPipeline) -> ClassifierError? {
        do {
            try pipeline.screen(classification)
            return nil
        } catch {
            return error
        }
    }

    private func report(_ timings: StageTimings, version: String, outcome: String, confidence: Float?) {
        for (stage, milliseconds) in timings.milliseconds {
            metrics.stage(stage, milliseconds: milliseconds, modelVersion: version)
        }
        metrics.prediction(modelVersion: version, outcome: outcome, confidence: confidence)
    }
}
