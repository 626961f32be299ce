import Classifier
import Foundation
import GRDB

/// `Store` on an SQLite file through GRDB: a `DatabasePool` in WAL mode (readers never block
/// the writer), `synchronous = NORMAL` (a committed transaction survives a killed process; only
/// an OS crash may lose the last ones), foreign keys on, a 5 s busy timeout.
public final class SQLiteStore: Store {
    public let path: String
    public var kind: String { "sqlite" }
    private let pool: DatabasePool

    /// Opens (creating if needed) the database at `path`.
    public init(path: String) throws(StoreError) {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StoreError("Cannot open the SQLite database at \(path): \(error); check that the directory exists and is writable.")
        }
    }

    public func migrate() async throws(StoreError) {
        var migrator = DatabaseMigrator()
        for (name, statements) in Schema.sqlite {
            migrator.registerMigration(name) { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        }
        try await run("migrate") { [pool] in try migrator.migrate(pool) }
    }

    public func ping() async throws(StoreError) {
        try await run("ping") { [pool] in try pool.read { db in _ = try Int.fetchOne(db, sql: "SELECT 1") } }
    }

    public func registerModelVersions(_ specs: [ModelVersionSpec]) async throws(StoreError) {
        let now = Date().timeIntervalSince1970
        try await write("register model versions") { db in
            for spec in specs {
                try db.execute(
                    sql: """
                        INSERT INTO model_versions (id, architecture, weights, labels, classifier, traffic, registered_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT(id) DO UPDATE SET architecture = excluded.architecture, weights = excluded.weights,
                        labels = excluded.labels, classifier = excluded.classifier, traffic = excluded.traffic, source = 'config'
                        """,
                    arguments: [spec.id, spec.architecture, spec.weights, spec.labels, StoredVersionSpec.json(spec.classifier), spec.traffic, now])
            }
        }
    }

    public func registerTrainedVersion(_ spec: ModelVersionSpec) async throws(StoreError) {
        let now = Date().timeIntervalSince1970
        try await write("register a trained model version") { db in
            try db.execute(
                sql: """
                    INSERT INTO model_versions (id, architecture, weights, labels, classifier, traffic, registered_at, source)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'trained')
                    """,
                arguments: [spec.id, spec.architecture, spec.weights, spec.labels, StoredVersionSpec.json(spec.classifier), spec.traffic, now])
        }
    }

    public func trainedVersions() async throws(StoreError) -> [ModelVersionSpec] {
        try await read("read trained model versions") { db in
            try Row.fetchAll(
                db, sql: "SELECT id, architecture, weights, labels, classifier, traffic FROM model_versions WHERE source = 'trained' ORDER BY registered_at, id"
            ).compactMap { row in
                StoredVersionSpec.spec(
                    id: row["id"], architecture: row["architecture"], weights: row["weights"], labels: row["labels"],
                    classifier: row["classifier"], traffic: row["traffic"])
            }
        }
    }

    public func modelVersionExists(_ id: String) async throws(StoreError) -> Bool {
        try await read("look up a model version") { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM model_versions WHERE id = ?", arguments: [id]) ?? 0 > 0
        }
    }

    public func insertItem(_ item: NewItem) async throws(StoreError) -> StoredItem {
        let now = Date().timeIntervalSince1970
        let id = try await write("insert item") { db in
            try db.execute(
                sql: "INSERT INTO items (name, category, sha256, model_version, embedding, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [item.name, item.category, item.sha256, item.modelVersion, Data(EmbeddingBlob.encode(item.embedding)), now])
            let id = db.lastInsertedRowID
            for (backbone, embedding) in item.otherEmbeddings.sorted(by: { $0.key < $1.key }) {
                try db.execute(
                    sql: "INSERT INTO item_embeddings (item_id, model_version, embedding) VALUES (?, ?, ?)",
                    arguments: [id, backbone, Data(EmbeddingBlob.encode(embedding))])
            }
            try db.execute(
                sql: "INSERT INTO item_changes (item_id, model_version, deleted, created_at) VALUES (?, ?, 0, ?)",
                arguments: [id, item.modelVersion, now])
            return id
        }
        return StoredItem(
            id: id, name: item.name, category: item.category, sha256: item.sha256, modelVersion: item.modelVersion,
            embedding: item.embedding, createdAt: now)
    }

    public func item(id: Int64) async throws(StoreError) -> StoredItem? {
        try await read("read item") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM items WHERE id = ?", arguments: [id]).map(Self.item)
        }
    }

    public func item(id: Int64, embeddedBy modelVersion: String) async throws(StoreError) -> StoredItem? {
        try await read("read item") { db in
            try Row.fetchOne(db, sql: Self.embeddedItems + " AND id = ?", arguments: [modelVersion, modelVersion, id]).map(Self.item)
        }
    }

    /// Items with their embedding under backbone `?` (twice): their own, or an `item_embeddings` row.
    static let embeddedItems = """
        SELECT * FROM (
            SELECT id, name, category, sha256, model_version, embedding, created_at FROM items WHERE model_version = ?
            UNION ALL
            SELECT i.id, i.name, i.category, i.sha256, e.model_version, e.embedding, i.created_at
            FROM items i JOIN item_embeddings e ON e.item_id = i.id WHERE e.model_version = ?) WHERE 1 = 1
        """

    public func deleteItem(id: Int64) async throws(StoreError) -> Bool {
        let now = Date().timeIntervalSince1970
        return try await write("delete item") { db in
            guard let version = try String.fetchOne(db, sql: "SELECT model_version FROM items WHERE id = ?", arguments: [id]) else {
                return false
            }
            try db.execute(sql: "DELETE FROM item_embeddings WHERE item_id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM items WHERE id = ?", arguments: [id])
            try db.execute(
                sql: "INSERT INTO item_changes (item_id, model_version, deleted, created_at) VALUES (?, ?, 1, ?)",
                arguments: [id, version, now])
            return true
        }
    }

    public func itemChanges(after seq: Int64, since: Double) async throws(StoreError) -> [ItemChange] {
        try await read("read item changes") { db in
            try Row.fetchAll(
                db, sql: "SELECT seq, item_id, model_version, deleted FROM item_changes WHERE seq > ? OR created_at >= ? ORDER BY seq",
                arguments: [seq, since]
            ).map { row in
                ItemChange(seq: row["seq"], itemID: row["item_id"], modelVersion: row["model_version"], deleted: (row["deleted"] as Int) != 0)
            }
        }
    }

    public func latestItemChange() async throws(StoreError) -> Int64 {
        try await read("read the latest item change") { db in
            try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM item_changes") ?? 0
        }
    }

    public func items(modelVersion: String) async throws(StoreError) -> [StoredItem] {
        try await read("read items") { db in
            try Row.fetchAll(db, sql: Self.embeddedItems + " ORDER BY id", arguments: [modelVersion, modelVersion]).map(Self.item)
        }
    }

    public func cachedPrediction(sha256: String, modelVersion: String, notBefore: Double) async throws(StoreError) -> Classification? {
        try await read("read cached prediction") { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT result, embedding FROM predictions WHERE sha256 = ? AND model_version = ? AND created_at >= ?
                        ORDER BY created_at DESC LIMIT 1
                        """,
                    arguments: [sha256, modelVersion, notBefore]),
                let embedding = EmbeddingBlob.decode([UInt8](row["embedding"] as Data))
            else { return nil }
            return StoredClassification.classification(json: row["result"], embedding: embedding, modelVersion: modelVersion)
        }
    }

    public func record(_ outcomes: [ABTestRecord]) async throws(StoreError) {
        guard !outcomes.isEmpty else { return }
        try await write("record predictions") { db in
            for outcome in outcomes {
                if let classification = outcome.classification, !outcome.cacheHit, let sha256 = outcome.sha256 {
                    try db.execute(
                        sql: """
                            INSERT INTO predictions (sha256, model_version, label, confidence, accepted, result, embedding, latency_ms, created_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            sha256, outcome.modelVersion, classification.label, Double(classification.confidence),
                            classification.accepted ? 1 : 0, StoredClassification(classification).json(),
                            Data(EmbeddingBlob.encode(classification.embedding)), outcome.latencyMilliseconds, outcome.timestamp,
                        ])
                }
                try db.execute(
                    sql: """
                        INSERT INTO ab_test_results (request_id, position, client_key, model_version, outcome, predicted_class, confidence, accepted,
                        cache_hit, latency_ms, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        outcome.requestID, outcome.position, outcome.clientKey, outcome.modelVersion, outcome.outcome, outcome.answer?.label,
                        outcome.answer.map { Double($0.confidence) }, outcome.answer.map { $0.accepted ? 1 : 0 },
                        outcome.cacheHit ? 1 : 0, outcome.latencyMilliseconds, outcome.timestamp,
                    ])
            }
        }
    }

    public func recordFeedback(requestID: String, position: Int, category: String) async throws(StoreError) -> Feedback? {
        let now = Date().timeIntervalSince1970
        return try await write("record feedback") { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT model_version, predicted_class FROM ab_test_results WHERE request_id = ? AND position = ? AND outcome = 'ok' ORDER BY id LIMIT 1",
                    arguments: [requestID, position])
            else { return nil }
            try db.execute(
                sql: """
                    INSERT INTO prediction_feedback (request_id, position, category, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT(request_id, position) DO UPDATE SET category = excluded.category, created_at = excluded.created_at
                    """,
                arguments: [requestID, position, category, now])
            return Feedback(requestID: requestID, position: position, category: category, modelVersion: row["model_version"], predictedClass: row["predicted_class"])
        }
    }

    public func versionStats() async throws(StoreError) -> [VersionStats] {
        try await read("read version stats") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM model_version_stats ORDER BY model_version").map { row in
                VersionStats(
                    modelVersion: row["model_version"], requests: row["requests"], errors: row["errors"],
                    errorRate: row["error_rate"], meanConfidence: row["mean_confidence"],
                    acceptanceRate: row["acceptance_rate"], meanLatencyMilliseconds: row["mean_latency_ms"], feedback: row["feedback"],
                    accuracy: row["accuracy"])
            }
        }
    }

    public func close() async {
        try? pool.close()
    }

    static func item(_ row: Row) -> StoredItem {
        StoredItem(
            id: row["id"], name: row["name"], category: row["category"], sha256: row["sha256"],
            modelVersion: row["model_version"], embedding: EmbeddingBlob.decode([UInt8](row["embedding"] as Data)) ?? [],
            createdAt: row["created_at"])
    }

    private func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        try await run(operation) { [pool] in try await pool.write(body) }
    }

    private func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
        try await run(operation) { [pool] in try await pool.read(body) }
    }

    private func run<T>(_ operation: String, _ body: () async throws -> T) async throws(StoreError) -> T {
        do {
            return try await body()
        } catch {
            throw StoreError("SQLite (\(path)) failed to \(operation): \(error)")
        }
    }
}
