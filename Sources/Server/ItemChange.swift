/// A registration or deletion of an item, as recorded in the `item_changes` table in the same
/// transaction as the change itself. Instances sharing one database follow this log to keep
/// their similar-items index in step with items registered or deleted through the others.
public struct ItemChange: Sendable, Equatable {
    /// Position in the log (increasing; under PostgreSQL not necessarily in commit order).
    public let seq: Int64
    public let itemID: Int64
    /// The model version the item's embedding belongs to.
    public let modelVersion: String
    /// True for a deletion, false for a registration.
    public let deleted: Bool

    public init(seq: Int64, itemID: Int64, modelVersion: String, deleted: Bool) {
        self.seq = seq
        self.itemID = itemID
        self.modelVersion = modelVersion
        self.deleted = deleted
    }
}
