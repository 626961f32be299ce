import Classifier
import Foundation
import Logging
import PostgresNIO

/// `Store` on PostgreSQL through postgres-nio, for several instances sharing one database.
///
/// `client` is a connection pool that must run as a service beside the server (`ServiceRunner`
/// adds it). Migrations run under a session advisory lock, so instances starting together
/// apply each migration once; applied migrations are listed in `schema_migrations`.
public final class PostgresStore: Store {
    public let client: PostgresClient
    public var kind: String { "postgresql" }
    private let logger: Logger
    private let description: String

    /// Advisory lock key that serialises migrations across instances.
    static let migrationLock: Int64 = 0x636f_6c65_6361

    /// Parses `postgres://user:password@host:port/database` (TLS off: run it on a private
    /// network or loopback, or put a TLS proxy in front).
    public init(url: String, logger: Logger) throws(StoreError) {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme ?? ""),
            let host = components.host, let user = components.user
        else {
            throw StoreError("'\(url)' is not a PostgreSQL URL; use postgres://user:password@host:5432/database.")
        }
        let database = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        let configuration = PostgresClient.Configuration(
            host: host, port: components.port ?? 5432, username: user, password: components.password,
            database: database.isEmpty ? nil : database, tls: .disable)
        self.client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        self.logger = logger
        self.description = "\(host):\(components.port ?? 5432)/\(database)"
    }

    public func migrate() async throws(StoreError) {
        try await run("migrate") { [client, logger] in
            try await client.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(\(Self.migrationLock))", logger: logger)
                do {
                    try await connection.query(
                        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)",
                        logger: logger)
                    var applied = Set<String>()
                    for try await name in try await connection.query("SELECT name FROM schema_migrations", logger: logger).decode(String.self) {
                        applied.insert(name)
                    }
                    for (name, statements) in Schema.postgres where !applied.contains(name) {
                        try await connection.withTransaction(logger: logger) { transaction in
                            for statement in statements {
                                try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                            }
                            let now = Date().timeIntervalSince1970
                            try await transaction.query("INSERT INTO schema_migrations (name, applied_at) VALUES (\(name), \(now))", logger: logger)
                        }
                    }
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: logger)
                    throw error
                }
                try await connection.query("SELECT pg_advisory_unlock(\(Self.migrationLock))", logger: logger)
            }
        }
    }

    public func ping() async throws(StoreError) {
        try await run("ping") { [client, logger] in try await client.query("SELECT 1", logger: logger) }
    }

    public func registerModelVersions(_ specs: [ModelVersionSpec]) async throws(StoreError) {
        let now = Date().timeIntervalSince1970
        try await run("register model versions") { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                for spec in specs {
                    try await connection.query(
                        """
                        INSERT INTO model_versions (id, architecture, weights, labels, classifier, traffic, registered_at)
                        VALUES (\(spec.id), \(spec.architecture), \(spec.weights), \(spec.labels), \(StoredVersionSpec.json(spec.classifier)),
                        \(spec.traffic), \(now))
                        ON CONFLICT (id) DO UPDATE SET architecture = EXCLUDED.architecture, weights = EXCLUDED.weights,
                        labels = EXCLUDED.labels, classifier = EXCLUDED.classifier, traffic = EXCLUDED.traffic, source = 'config'
                        """, logger: logger)
                }
            }
        }
    }

    public func registerTrainedVersion(_ spec: ModelVersionSpec) async throws(StoreError) {
        let now = Date().timeIntervalSince1970
        try await run("register a trained model version") { [client, logger] in
            try await client.query(
                """
                INSERT INTO model_versions (id, architecture, weights, labels, classifier, traffic, registered_at, source)
                VALUES (\(spec.id), \(spec.architecture), \(spec.weights), \(spec.labels), \(StoredVersionSpec.json(spec.classifier)),
                \(spec.traffic), \(now), 'trained')
                """, logger: logger)
        }
    }

    public func trainedVersions() async throws(StoreError) -> [ModelVersionSpec] {
        try await run("read trained model versions") { [client, logger] in
            let rows = try await client.query(
                "SELECT id, architecture, weights, labels, classifier, traffic FROM model_versions WHERE source = 'trained' ORDER BY registered_at, id",
                logger: logger)
            var specs: [ModelVersionSpec] = []
            for try await (id, architecture, weights, labels, classifier, traffic) in rows.decode((String, String, String, String?, String?, Double).self) {
                if let spec = StoredVersionSpec.spec(
                    id: id, architecture: architecture, weights: weights, labels: labels, classifier: classifier, traffic: traffic)
                {
                    specs.append(spec)
                }
            }
            return specs
        }
    }

    public func modelVersionExists(_ id: String) async throws(StoreError) -> Bool {
        try await run("look up a model version") { [client, logger] in
            let rows = try await client.query("SELECT COUNT(*)::BIGINT FROM model_versions WHERE id = \(id)", logger: logger)
            var count: Int64 = 0
            for try await value in rows.decode(Int64.self) { count = value }
            return count > 0
        }
    }

    public func insertItem(_ item: NewItem) async throws(StoreError) -> StoredItem {
        let now = Date().timeIntervalSince1970
        let blob = Data(EmbeddingBlob.encode(item.embedding))
        // An explicit transaction: `INSERT … RETURNING` alone would hand over the id with its
        // row, before the implicit transaction commits at the protocol's Sync; the caller's
        // acknowledgment must follow the commit.
        let id = try await run("insert item") { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO items (name, category, sha256, model_version, embedding, created_at)
                    VALUES (\(item.name), \(item.category), \(item.sha256), \(item.modelVersion), \(blob), \(now)) RETURNING id
                    """, logger: logger)
                var inserted: Int64?
                for try await id in rows.decode(Int64.self) { inserted = id }
                guard let inserted else { throw StoreError("INSERT … RETURNING id returned no row") }
                for (backbone, embedding) in item.otherEmbeddings.sorted(by: { $0.key < $1.key }) {
                    let other = Data(EmbeddingBlob.encode(embedding))
                    try await connection.query(
                        "INSERT INTO item_embeddings (item_id, model_version, embedding) VALUES (\(inserted), \(backbone), \(other))", logger: logger)
                }
                try await connection.query(
                    "INSERT INTO item_changes (item_id, model_version, deleted, created_at) VALUES (\(inserted), \(item.modelVersion), 0, \(now))",
                    logger: logger)
                return inserted
            }
        }
        return StoredItem(
            id: id, name: item.name, category: item.category, sha256: item.sha256, modelVersion: item.modelVersion,
            embedding: item.embedding, createdAt: now)
    }

    public func item(id: Int64) async throws(StoreError) -> StoredItem? {
        try await fetchItems("read item", "SELECT id, name, category, sha256, model_version, embedding, created_at FROM items WHERE id = \(id)").first
    }

    public func item(id: Int64, embeddedBy modelVersion: String) async throws(StoreError) -> StoredItem? {
        try await fetchItems(
            "read item",
            """
            SELECT id, name, category, sha256, model_version, embedding, created_at FROM items WHERE model_version = \(modelVersion) AND id = \(id)
            UNION ALL
            SELECT i.id, i.name, i.category, i.sha256, e.model_version, e.embedding, i.created_at
            FROM items i JOIN item_embeddings e ON e.item_id = i.id WHERE e.model_version = \(modelVersion) AND i.id = \(id)
            """
        ).first
    }

    public func deleteItem(id: Int64) async throws(StoreError) -> Bool {
        try await run("delete item") { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query("DELETE FROM items WHERE id = \(id) RETURNING model_version", logger: logger)
                var version: String?
                for try await deleted in rows.decode(String.self) { version = deleted }
                guard let version else { return false }
                let now = Date().timeIntervalSince1970
                try await connection.query(
                    "INSERT INTO item_changes (item_id, model_version, deleted, created_at) VALUES (\(id), \(version), 1, \(now))",
                    logger: logger)
                return true
            }
        }
    }

    public func itemChanges(after seq: Int64, since: Double) async throws(StoreError) -> [ItemChange] {
        try await run("read item changes") { [client, logger] in
            let rows = try await client.query(
                "SELECT seq, item_id, model_version, deleted FROM item_changes WHERE seq > \(seq) OR created_at >= \(since) ORDER BY seq",
                logger: logger)
            var changes: [ItemChange] = []
            for try await (seq, item, version, deleted) in rows.decode((Int64, Int64, String, Int32).self) {
                changes.append(ItemChange(seq: seq, itemID: item, modelVersion: version, deleted: deleted != 0))
            }
            return changes
        }
    }

    public func latestItemChange() async throws(StoreError) -> Int64 {
        try await run("read the latest item change") { [client, logger] in
            let rows = try await client.query("SELECT COALESCE(MAX(seq), 0)::BIGINT FROM item_changes", logger: logger)
            var latest: Int64 = 0
            for try await value in rows.decode(Int64.self) { latest = value }
            return latest
        }
    }

    public func items(modelVersion: String) async throws(StoreError) -> [StoredItem] {
        try await fetchItems(
            "read items",
            """
            SELECT id, name, category, sha256, model_version, embedding, created_at FROM items WHERE model_version = \(modelVersion)
            UNION ALL
            SELECT i.id, i.name, i.category, i.sha256, e.model_version, e.embedding, i.created_at
            FROM items i JOIN item_embeddings e ON e.item_id = i.id WHERE e.model_version = \(modelVersion)
            ORDER BY id
            """)
    }

    public func cachedPrediction(sha256: String, modelVersion: String, notBefore: Double) async throws(StoreError) -> Classification? {
        try await run("read cached prediction") { [client, logger] in
            let rows = try await client.query(
                """
                SELECT result, embedding FROM predictions WHERE sha256 = \(sha256) AND model_version = \(modelVersion)
                AND created_at >= \(notBefore) ORDER BY created_at DESC LIMIT 1
                """, logger: logger)
            for try await (result, blob) in rows.decode((String, Data).self) {
                guard let embedding = EmbeddingBlob.decode([UInt8](blob)) else { return nil }
                return StoredClassification.classification(json: result, embedding: embedding, modelVersion: modelVersion)
            }
            return nil
        }
    }

    public func record(_ outcomes: [ABTestRecord]) async throws(StoreError) {
        guard !outcomes.isEmpty else { return }
        try await run("record predictions") { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                for outcome in outcomes {
                    if let classification = outcome.classification, !outcome.cacheHit, let sha256 = outcome.sha256 {
                        let blob = Data(EmbeddingBlob.encode(classification.embedding))
                        let result = StoredClassification(classification).json()
                        try await connection.query(
                            """
                            INSERT INTO predictions (sha256, model_version, label, confidence, accepted, result, embedding, latency_ms, created_at)
                            VALUES (\(sha256), \(outcome.modelVersion), \(classification.label), \(Double(classification.confidence)),
                            \(classification.accepted ? 1 : 0), \(result), \(blob), \(outcome.latencyMilliseconds), \(outcome.timestamp))
                            """, logger: logger)
                    }
                    let confidence = outcome.answer.map { Double($0.confidence) }
                    let accepted = outcome.answer.map { $0.accepted ? 1 : 0 }
                    try await connection.query(
                        """
                        INSERT INTO ab_test_results (request_id, position, client_key, model_version, outcome, predicted_class, confidence, accepted,
                        cache_hit, latency_ms, created_at)
                        VALUES (\(outcome.requestID), \(outcome.position), \(outcome.clientKey), \(outcome.modelVersion), \(outcome.outcome),
                        \(outcome.answer?.label), \(confidence), \(accepted), \(outcome.cacheHit ? 1 : 0), \(outcome.latencyMilliseconds), \(outcome.timestamp))
                        """, logger: logger)
                }
            }
        }
    }

    public func recordFeedback(requestID: String, position: Int, category: String) async throws(StoreError) -> Feedback? {
        let now = Date().timeIntervalSince1970
        return try await run("record feedback") { [client, logger] in
            try await client.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    SELECT model_version, predicted_class FROM ab_test_results
                    WHERE request_id = \(requestID) AND position = \(position) AND outcome = 'ok' ORDER BY id LIMIT 1
                    """, logger: logger)
                var answered: (String, String?)?
                for try await row in rows.decode((String, String?).self) { answered = row }
                guard let (version, predicted) = answered else { return nil }
                try await connection.query(
                    """
                    INSERT INTO prediction_feedback (request_id, position, category, created_at) VALUES (\(requestID), \(position), \(category), \(now))
                    ON CONFLICT (request_id, position) DO UPDATE SET category = EXCLUDED.category, created_at = EXCLUDED.created_at
                    """, logger: logger)
                return Feedback(requestID: requestID, position: position, category: category, modelVersion: version, predictedClass: predicted)
            }
        }
    }

    public func versionStats() async throws(StoreError) -> [VersionStats] {
        try await run("read version stats") { [client, logger] in
            let rows = try await client.query(
                """
                SELECT model_version, requests, errors, error_rate, mean_confidence, acceptance_rate, mean_latency_ms, feedback, accuracy
                FROM model_version_stats ORDER BY model_version
                """, logger: logger)
            var stats: [VersionStats] = []
            for try await (version, requests, errors, errorRate, confidence, acceptance, latency, feedback, accuracy) in rows.decode(
                (String, Int, Int, Double, Double?, Double?, Double?, Int, Double?).self)
            {
                stats.append(
                    VersionStats(
                        modelVersion: version, requests: requests, errors: errors, errorRate: errorRate, meanConfidence: confidence,
                        acceptanceRate: acceptance, meanLatencyMilliseconds: latency, feedback: feedback, accuracy: accuracy))
            }
            return stats
        }
    }

    public func close() async {}

    private func fetchItems(_ operation: String, _ query: PostgresQuery) async throws(StoreError) -> [StoredItem] {
        try await run(operation) { [client, logger] in
            var items: [StoredItem] = []
            let rows = try await client.query(query, logger: logger)
            for try await (id, name, category, sha256, version, blob, createdAt) in rows.decode((Int64, String, String, String, String, Data, Double).self) {
                items.append(
                    StoredItem(
                        id: id, name: name, category: category, sha256: sha256, modelVersion: version,
                        embedding: EmbeddingBlob.decode([UInt8](blob)) ?? [], createdAt: createdAt))
            }
            return items
        }
    }

    private func run<T>(_ operation: String, _ body: () async throws -> T) async throws(StoreError) -> T {
        do {
            return try await body()
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("PostgreSQL (\(description)) failed to \(operation): \(String(reflecting: error))")
        }
    }
}
