import Foundation
import GRDB
import Logging
import PostgresNIO
import Server

/// The rows of `items`, `predictions` and `ab_test_results` read straight from the database
/// (no server running), for checks that nothing acknowledged is missing and nothing is
/// half-written. Embeddings are reported by their byte length.
struct StoredRows: Sendable {
    struct Item: Sendable {
        var id: Int64
        var name: String
        var sha256: String
        var embeddingBytes: Int
    }

    struct Prediction: Sendable {
        var sha256: String
        var label: String
        var confidence: Double
        var result: String
        var embeddingBytes: Int
    }

    struct ABResult: Sendable {
        var requestID: String
        var outcome: String
        var cacheHit: Int
    }

    var items: [Item] = []
    var predictions: [Prediction] = []
    var abResults: [ABResult] = []
    /// "ok" when the database's own checks find its files sound: SQLite's `PRAGMA
    /// integrity_check`; PostgreSQL's amcheck (`verify_heapam` on every table, `bt_index_check` on
    /// every B-tree index of the schema). Otherwise what they reported.
    var integrity = "not checked"

    static let itemsQuery = "SELECT id, name, sha256, length(embedding) FROM items ORDER BY id"
    static let predictionsQuery = "SELECT sha256, label, confidence, result, length(embedding) FROM predictions"
    static let abResultsQuery = "SELECT request_id, outcome, cache_hit FROM ab_test_results"

    static func read(_ database: TestDatabase) async throws -> StoredRows {
        switch database {
        case .sqlite(let path): try readSQLite(path)
        case .postgres(let url): try await readPostgres(url)
        }
    }

    private static func readSQLite(_ path: String) throws -> StoredRows {
        let queue = try DatabaseQueue(path: path)
        defer { try? queue.close() }
        return try queue.read { db in
            var rows = StoredRows()
            rows.integrity = try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer"
            rows.items = try Row.fetchAll(db, sql: itemsQuery).map { Item(id: $0[0], name: $0[1], sha256: $0[2], embeddingBytes: $0[3]) }
            rows.predictions = try Row.fetchAll(db, sql: predictionsQuery).map {
                Prediction(sha256: $0[0], label: $0[1], confidence: $0[2], result: $0[3], embeddingBytes: $0[4])
            }
            rows.abResults = try Row.fetchAll(db, sql: abResultsQuery).map { ABResult(requestID: $0[0], outcome: $0[1], cacheHit: $0[2]) }
            return rows
        }
    }

    private static func readPostgres(_ url: String) async throws -> StoredRows {
        let store = try PostgresStore(url: url, logger: Logger(label: "test-rows"))
        let running = Task { await store.client.run() }
        defer { running.cancel() }
        var rows = StoredRows()
        let client = store.client
        for try await (id, name, sha256, bytes) in try await client.query(PostgresQuery(unsafeSQL: itemsQuery)).decode((Int64, String, String, Int32).self) {
            rows.items.append(Item(id: id, name: name, sha256: sha256, embeddingBytes: Int(bytes)))
        }
        for try await (sha256, label, confidence, result, bytes) in try await client.query(PostgresQuery(unsafeSQL: predictionsQuery))
            .decode((String, String, Double, String, Int32).self)
        {
            rows.predictions.append(Prediction(sha256: sha256, label: label, confidence: confidence, result: result, embeddingBytes: Int(bytes)))
        }
        for try await (requestID, outcome, cacheHit) in try await client.query(PostgresQuery(unsafeSQL: abResultsQuery)).decode((String, String, Int32).self) {
            rows.abResults.append(ABResult(requestID: requestID, outcome: outcome, cacheHit: Int(cacheHit)))
        }
        rows.integrity = try await postgresIntegrity(client)
        return rows
    }

    /// amcheck over the schema's tables and indexes (the test role is a superuser: the CI cluster's
    /// `postgres`, or the throwaway one of `Tests/with-postgres.sh`).
    private static func postgresIntegrity(_ client: PostgresClient) async throws -> String {
        try await client.query("CREATE EXTENSION IF NOT EXISTS amcheck")
        var problems: [String] = []
        let heap = PostgresQuery(unsafeSQL: """
            SELECT c.relname, v.blkno, coalesce(v.msg, '')
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, LATERAL verify_heapam(c.oid) v
            WHERE n.nspname = current_schema() AND c.relkind = 'r'
            """)
        for try await (table, block, message) in try await client.query(heap).decode((String, Int64, String).self) {
            problems.append("\(table) block \(block): \(message)")
        }
        let indexes = PostgresQuery(unsafeSQL: """
            SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am a ON a.oid = c.relam
            WHERE n.nspname = current_schema() AND a.amname = 'btree'
            """)
        var names: [String] = []
        for try await name in try await client.query(indexes).decode(String.self) { names.append(name) }
        for name in names {
            do {
                try await client.query("SELECT bt_index_check(\(name)::regclass, true)")
            } catch {
                problems.append("index \(name): \(String(reflecting: error))")
            }
        }
        guard !names.isEmpty else { return "no B-tree index found to check" }
        return problems.isEmpty ? "ok" : problems.joined(separator: "; ")
    }
}
