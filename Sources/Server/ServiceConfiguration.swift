import Classifier
import Foundation

/// Everything a server instance is configured with, read from a JSON file (all keys optional;
/// the defaults are listed in Docs/Service.md and `Deploy/models.example.json`):
///
/// ```json
/// {"models": [{"id": "lite0-a", "architecture": "efficientnet-lite0",
///              "weights": "../Weights/efficientnet-lite0.safetensors",
///              "labels": "../Weights/imagenet-labels.txt",
///              "classifier": {"kind": "nearest-items", "k": 10}, "traffic": 50}],
///  "acceptance_threshold": 0.7, "top_k": 5, "similar_items": 5,
///  "quality": {"enabled": true, "minimum_blur_score": 100, …},
///  "limits": {"max_body_bytes": 10000000, "max_pixels": 40000000, "max_batch": 16,
///             "max_concurrent_inferences": 2, "max_queued": 32, "request_timeout_seconds": 30},
///  "cache": {"max_bytes": 67108864, "ttl_seconds": 86400},
///  "adversarial": {"mode": "off", "threshold": 0.5645},
///  "client_key_header": "X-Client-ID", "index_snapshot": "colecionador.hnsw",
///  "prepared_cache": "/var/cache/colecionador/prepared", "heads_directory": "heads"}
/// ```
/// Without `models`, the bundled EfficientNet-Lite0 is the only version (`efficientnet-lite0`).
public struct ServiceConfiguration: Sendable, Decodable {
    public var models: [ModelVersionSpec]?
    public var acceptanceThreshold: Float = 0.7
    public var topK = 5
    public var similarItems = 5
    public var quality = QualityPolicy()
    public var limits = Limits()
    public var cache = Cache()
    /// Adversarial-input detection by feature squeezing: `off` (default), `warn` or `reject`.
    public var adversarial = AdversarialPolicy()
    public var clientKeyHeader = "X-Client-ID"
    /// Where the similar-items index snapshot lives; nil: next to an SQLite database, or none.
    public var indexSnapshot: String?
    /// Where the instances share the models' prepared (folded, packed) parameters; `off`
    /// disables it; nil: `$COLECIONADOR_PREPARED_CACHE`, else the standard directory
    /// (`PreparedParameterCache.standard()`). Relative paths are resolved like the model paths.
    public var preparedCache: String?
    /// Where heads trained through `POST /v1/models/{id}/train` are written (a directory every
    /// instance can read); nil: next to an SQLite database, else training is unavailable.
    /// Relative paths are resolved like the model paths.
    public var headsDirectory: String?
    /// The directory relative model paths are resolved against (the config file's directory).
    public var baseDirectory = FileManager.default.currentDirectoryPath

    public struct Limits: Sendable, Decodable {
        public var maxBodyBytes = 10_000_000
        public var maxPixels = 40_000_000
        public var maxBatch = 16
        public var maxConcurrentInferences = 2
        public var maxQueued = 32
        public var requestTimeoutSeconds = 30.0
        /// Requests slower than this are logged as a warning (the design's latency threshold).
        public var slowRequestMilliseconds = 500.0

        public init() {}

        enum CodingKeys: String, CodingKey {
            case maxBodyBytes = "max_body_bytes", maxPixels = "max_pixels", maxBatch = "max_batch"
            case maxConcurrentInferences = "max_concurrent_inferences", maxQueued = "max_queued"
            case requestTimeoutSeconds = "request_timeout_seconds", slowRequestMilliseconds = "slow_request_ms"
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
            maxPixels = try c.decodeIfPresent(Int.self, forKey: .maxPixels) ?? maxPixels
            maxBatch = try c.decodeIfPresent(Int.self, forKey: .maxBatch) ?? maxBatch
            maxConcurrentInferences = try c.decodeIfPresent(Int.self, forKey: .maxConcurrentInferences) ?? maxConcurrentInferences
            maxQueued = try c.decodeIfPresent(Int.self, forKey: .maxQueued) ?? maxQueued
            requestTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .requestTimeoutSeconds) ?? requestTimeoutSeconds
            slowRequestMilliseconds = try c.decodeIfPresent(Double.self, forKey: .slowRequestMilliseconds) ?? slowRequestMilliseconds
        }
    }

    public struct Cache: Sendable, Decodable {
        public var maxBytes = 64 << 20
        public var ttlSeconds = 86_400.0

        public init() {}

        enum CodingKeys: String, CodingKey { case maxBytes = "max_bytes", ttlSeconds = "ttl_seconds" }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            maxBytes = try c.decodeIfPresent(Int.self, forKey: .maxBytes) ?? maxBytes
            ttlSeconds = try c.decodeIfPresent(Double.self, forKey: .ttlSeconds) ?? ttlSeconds
        }
    }

    public init() {}

    enum CodingKeys: String, CodingKey {
        case models, acceptanceThreshold = "acceptance_threshold", topK = "top_k", similarItems = "similar_items"
        case quality, limits, cache, adversarial, clientKeyHeader = "client_key_header", indexSnapshot = "index_snapshot"
        case preparedCache = "prepared_cache", headsDirectory = "heads_directory"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        models = try c.decodeIfPresent([ModelVersionSpec].self, forKey: .models)
        acceptanceThreshold = try c.decodeIfPresent(Float.self, forKey: .acceptanceThreshold) ?? acceptanceThreshold
        topK = try c.decodeIfPresent(Int.self, forKey: .topK) ?? topK
        similarItems = try c.decodeIfPresent(Int.self, forKey: .similarItems) ?? similarItems
        quality = try c.decodeIfPresent(QualityPolicy.self, forKey: .quality) ?? quality
        limits = try c.decodeIfPresent(Limits.self, forKey: .limits) ?? limits
        cache = try c.decodeIfPresent(Cache.self, forKey: .cache) ?? cache
        adversarial = try c.decodeIfPresent(AdversarialPolicy.self, forKey: .adversarial) ?? adversarial
        clientKeyHeader = try c.decodeIfPresent(String.self, forKey: .clientKeyHeader) ?? clientKeyHeader
        indexSnapshot = try c.decodeIfPresent(String.self, forKey: .indexSnapshot)
        preparedCache = try c.decodeIfPresent(String.self, forKey: .preparedCache)
        headsDirectory = try c.decodeIfPresent(String.self, forKey: .headsDirectory)
    }

    /// Reads a configuration file; relative paths in it are resolved against its directory.
    public static func load(path: String) throws -> ServiceConfiguration {
        let url = URL(fileURLWithPath: path)
        var configuration = try JSONDecoder().decode(ServiceConfiguration.self, from: Data(contentsOf: url))
        configuration.baseDirectory = url.deletingLastPathComponent().path
        return configuration
    }

    /// The pipeline's share of the configuration.
    public var pipeline: PipelineConfiguration {
        PipelineConfiguration(
            maxBytes: limits.maxBodyBytes, maxPixels: limits.maxPixels, quality: quality,
            acceptanceThreshold: acceptanceThreshold, topK: topK, adversarial: adversarial)
    }
}
