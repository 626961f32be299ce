/// The database schema, as ordered migrations per dialect. Both dialects hold the same tables,
/// columns and view; only types differ (`BLOB`/`BYTEA`, `REAL`/`DOUBLE PRECISION`, row ids).
/// Timestamps are Unix seconds. Never edit a shipped migration: append a new one.
enum Schema {
    /// `(name, statements)` in order, for SQLite.
    static let sqlite: [(String, [String])] = [
        ("v1", [
            """
            CREATE TABLE items (
                id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, category TEXT NOT NULL,
                sha256 TEXT NOT NULL, model_version TEXT NOT NULL, embedding BLOB NOT NULL, created_at REAL NOT NULL)
            """,
            "CREATE INDEX items_model_version ON items (model_version)",
            """
            CREATE TABLE predictions (
                id INTEGER PRIMARY KEY AUTOINCREMENT, sha256 TEXT NOT NULL, model_version TEXT NOT NULL,
                label TEXT NOT NULL, confidence REAL NOT NULL, accepted INTEGER NOT NULL, result TEXT NOT NULL,
                embedding BLOB NOT NULL, latency_ms REAL NOT NULL, created_at REAL NOT NULL)
            """,
            "CREATE INDEX predictions_lookup ON predictions (sha256, model_version, created_at)",
            """
            CREATE TABLE ab_test_results (
                id INTEGER PRIMARY KEY AUTOINCREMENT, request_id TEXT NOT NULL, client_key TEXT,
                model_version TEXT NOT NULL, outcome TEXT NOT NULL, confidence REAL, accepted INTEGER,
                cache_hit INTEGER NOT NULL, latency_ms REAL NOT NULL, created_at REAL NOT NULL)
            """,
            "CREATE INDEX ab_test_results_version ON ab_test_results (model_version)",
            """
            CREATE TABLE model_versions (
                id TEXT PRIMARY KEY, architecture TEXT NOT NULL, weights TEXT NOT NULL, labels TEXT,
                traffic REAL NOT NULL, registered_at REAL NOT NULL)
            """,
            statsView,
        ]),
        ("v2 item_changes", [
            """
            CREATE TABLE item_changes (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, item_id INTEGER NOT NULL, model_version TEXT NOT NULL,
                deleted INTEGER NOT NULL, created_at REAL NOT NULL)
            """,
            "CREATE INDEX item_changes_created_at ON item_changes (created_at)",
        ]),
        ("v3 collection", [
            "ALTER TABLE ab_test_results ADD COLUMN predicted_class TEXT",
            "ALTER TABLE ab_test_results ADD COLUMN position INTEGER NOT NULL DEFAULT 0",
            "CREATE INDEX ab_test_results_request ON ab_test_results (request_id, position)",
            """
            CREATE TABLE prediction_feedback (
                request_id TEXT NOT NULL, position INTEGER NOT NULL, category TEXT NOT NULL, created_at REAL NOT NULL,
                PRIMARY KEY (request_id, position))
            """,
            "ALTER TABLE model_versions ADD COLUMN classifier TEXT",
            "ALTER TABLE model_versions ADD COLUMN source TEXT NOT NULL DEFAULT 'config'",
            "DROP VIEW model_version_stats",
            statsViewWithAccuracy,
            """
            CREATE TABLE item_embeddings (
                item_id INTEGER NOT NULL REFERENCES items (id) ON DELETE CASCADE, model_version TEXT NOT NULL, embedding BLOB NOT NULL,
                PRIMARY KEY (item_id, model_version))
            """,
            "CREATE INDEX item_embeddings_model_version ON item_embeddings (model_version)",
        ]),
    ]

    /// `(name, statements)` in order, for PostgreSQL.
    static let postgres: [(String, [String])] = [
        ("v1", [
            """
            CREATE TABLE items (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name TEXT NOT NULL, category TEXT NOT NULL,
                sha256 TEXT NOT NULL, model_version TEXT NOT NULL, embedding BYTEA NOT NULL, created_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX items_model_version ON items (model_version)",
            """
            CREATE TABLE predictions (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, sha256 TEXT NOT NULL, model_version TEXT NOT NULL,
                label TEXT NOT NULL, confidence DOUBLE PRECISION NOT NULL, accepted INTEGER NOT NULL, result TEXT NOT NULL,
                embedding BYTEA NOT NULL, latency_ms DOUBLE PRECISION NOT NULL, created_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX predictions_lookup ON predictions (sha256, model_version, created_at)",
            """
            CREATE TABLE ab_test_results (
                id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, request_id TEXT NOT NULL, client_key TEXT,
                model_version TEXT NOT NULL, outcome TEXT NOT NULL, confidence DOUBLE PRECISION, accepted INTEGER,
                cache_hit INTEGER NOT NULL, latency_ms DOUBLE PRECISION NOT NULL, created_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX ab_test_results_version ON ab_test_results (model_version)",
            """
            CREATE TABLE model_versions (
                id TEXT PRIMARY KEY, architecture TEXT NOT NULL, weights TEXT NOT NULL, labels TEXT,
                traffic DOUBLE PRECISION NOT NULL, registered_at DOUBLE PRECISION NOT NULL)
            """,
            statsView,
        ]),
        ("v2 item_changes", [
            """
            CREATE TABLE item_changes (
                seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, item_id BIGINT NOT NULL, model_version TEXT NOT NULL,
                deleted INTEGER NOT NULL, created_at DOUBLE PRECISION NOT NULL)
            """,
            "CREATE INDEX item_changes_created_at ON item_changes (created_at)",
        ]),
        ("v3 collection", [
            "ALTER TABLE ab_test_results ADD COLUMN predicted_class TEXT",
            "ALTER TABLE ab_test_results ADD COLUMN position INTEGER NOT NULL DEFAULT 0",
            "CREATE INDEX ab_test_results_request ON ab_test_results (request_id, position)",
            """
            CREATE TABLE prediction_feedback (
                request_id TEXT NOT NULL, position INTEGER NOT NULL, category TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (request_id, position))
            """,
            "ALTER TABLE model_versions ADD COLUMN classifier TEXT",
            "ALTER TABLE model_versions ADD COLUMN source TEXT NOT NULL DEFAULT 'config'",
            "DROP VIEW model_version_stats",
            statsViewWithAccuracy,
            """
            CREATE TABLE item_embeddings (
                item_id BIGINT NOT NULL REFERENCES items (id) ON DELETE CASCADE, model_version TEXT NOT NULL, embedding BYTEA NOT NULL,
                PRIMARY KEY (item_id, model_version))
            """,
            "CREATE INDEX item_embeddings_model_version ON item_embeddings (model_version)",
        ]),
    ]

    /// Per-version accuracy proxies, latency and error rate over `ab_test_results` (migration v1;
    /// replaced by `statsViewWithAccuracy` in v3).
    static let statsView = """
        CREATE VIEW model_version_stats AS
        SELECT model_version,
               COUNT(*) AS requests,
               SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END) AS errors,
               CAST(SUM(CASE WHEN outcome = 'ok' THEN 0 ELSE 1 END) AS DOUBLE PRECISION) / COUNT(*) AS error_rate,
               AVG(confidence) AS mean_confidence,
               AVG(CAST(accepted AS DOUBLE PRECISION)) AS acceptance_rate,
               AVG(latency_ms) AS mean_latency_ms
        FROM ab_test_results GROUP BY model_version
        """

    /// `statsView` plus the accuracy over the answers that have feedback: `feedback` (how many)
    /// and `accuracy` (the share whose predicted class is the category the feedback gives).
    static let statsViewWithAccuracy = """
        CREATE VIEW model_version_stats AS
        SELECT a.model_version,
               COUNT(*) AS requests,
               SUM(CASE WHEN a.outcome = 'ok' THEN 0 ELSE 1 END) AS errors,
               CAST(SUM(CASE WHEN a.outcome = 'ok' THEN 0 ELSE 1 END) AS DOUBLE PRECISION) / COUNT(*) AS error_rate,
               AVG(a.confidence) AS mean_confidence,
               AVG(CAST(a.accepted AS DOUBLE PRECISION)) AS acceptance_rate,
               AVG(a.latency_ms) AS mean_latency_ms,
               COUNT(f.category) AS feedback,
               AVG(CAST(CASE WHEN f.category IS NULL THEN NULL WHEN f.category = a.predicted_class THEN 1 ELSE 0 END AS DOUBLE PRECISION)) AS accuracy
        FROM ab_test_results a
        LEFT JOIN prediction_feedback f ON f.request_id = a.request_id AND f.position = a.position AND a.outcome = 'ok'
        GROUP BY a.model_version
        """
}
