import Classifier

/// The service's persistence, one protocol for SQLite (`SQLiteStore`, the embedded default) and
/// PostgreSQL (`PostgresStore`, for several instances sharing one database).
///
/// Tables (created by `migrate()`, see `Schema`): `items` (with the embedding as little-endian
/// Float32 bytes), `predictions` (sha256, model_version, result, latency, timestamp — also the
/// cache shared by all instances), `ab_test_results` (one row per classification request:
/// version, outcome, confidence, latency), `model_versions`, and the view
/// `model_version_stats` (per-version request count, error rate, mean confidence, acceptance
/// rate, mean latency, accuracy over the answers with feedback), `prediction_feedback` (the
/// right category of an answered image), `item_embeddings` (an item's embedding under each
/// backbone other than the primary's), and `item_changes` (the log of registrations and deletions that
/// instances sharing the database follow, see `IndexSynchronizer`).
///
/// Every method is one transaction: it stores all of its rows or none. A method returns only
/// after the transaction committed (durable against a killed process).
public protocol Store: Sendable {
    /// Which database this is, for logs and `/readyz`.
    var kind: String { get }
    /// Creates or upgrades the schema; safe to run at every start and from several instances.
    func migrate() async throws(StoreError)
    /// A cheap round trip to the database.
    func ping() async throws(StoreError)
    /// Records the configured model versions (inserted or updated by id).
    func registerModelVersions(_ specs: [ModelVersionSpec]) async throws(StoreError)
    /// Records a version trained through the API (`source = 'trained'`), so that every start
    /// loads it again; fails if the id is taken.
    func registerTrainedVersion(_ spec: ModelVersionSpec) async throws(StoreError)
    /// The versions trained through the API, in registration order.
    func trainedVersions() async throws(StoreError) -> [ModelVersionSpec]
    /// Whether a version with this id was ever registered (configured or trained).
    func modelVersionExists(_ id: String) async throws(StoreError) -> Bool
    /// Inserts an item (its `item_embeddings` rows for the other backbones, and its
    /// `item_changes` row) and returns it with its new id.
    func insertItem(_ item: NewItem) async throws(StoreError) -> StoredItem
    func item(id: Int64) async throws(StoreError) -> StoredItem?
    /// The item with its embedding under backbone `modelVersion` (its own, or an
    /// `item_embeddings` row); nil when there is no such item or no such embedding.
    func item(id: Int64, embeddedBy modelVersion: String) async throws(StoreError) -> StoredItem?
    /// Deletes an item (and logs it in `item_changes`); false when there was none.
    func deleteItem(id: Int64) async throws(StoreError) -> Bool
    /// The changes with `seq > after`, plus every change created at or after `since` (Unix
    /// seconds), in `seq` order. The second condition re-reads a short window: under PostgreSQL
    /// a transaction may commit after one holding a larger `seq`, and a reader that only asked
    /// for `seq > after` would skip it for good. Applying a change twice is harmless.
    func itemChanges(after seq: Int64, since: Double) async throws(StoreError) -> [ItemChange]
    /// The largest `seq` in `item_changes` (0 when empty).
    func latestItemChange() async throws(StoreError) -> Int64
    /// Every item with an embedding computed by backbone `modelVersion` (its own, or an
    /// `item_embeddings` row, which it then carries), by id.
    func items(modelVersion: String) async throws(StoreError) -> [StoredItem]
    /// The most recent prediction for these bytes and version made after `notBefore` (Unix
    /// seconds), if any: the shared cache.
    func cachedPrediction(sha256: String, modelVersion: String, notBefore: Double) async throws(StoreError) -> Classification?
    /// Stores the outcomes of one request (one image, or a whole batch) in one transaction:
    /// a `predictions` row for each freshly computed classification and an `ab_test_results`
    /// row for every outcome.
    func record(_ outcomes: [ABTestRecord]) async throws(StoreError)
    /// Stores (or replaces) the right category for the image at `position` of request
    /// `requestID`; nil, and nothing stored, when no image of that request was answered.
    func recordFeedback(requestID: String, position: Int, category: String) async throws(StoreError) -> Feedback?
    /// Per-version statistics from the `model_version_stats` view.
    func versionStats() async throws(StoreError) -> [VersionStats]
    /// Releases connections.
    func close() async
}
