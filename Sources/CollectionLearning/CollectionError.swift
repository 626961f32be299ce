/// An error from learning or applying a collection's categories: training data that cannot
/// teach anything, a category name the collection cannot hold, or a head file that does not fit.
///
/// `code` is stable and meant for programs (its raw value is the service's `error.code`);
/// `message` says what was found and what to do.
public struct CollectionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// No items at all, one category only, or a category without items.
        case insufficientTrainingData = "insufficient_training_data"
        /// A category name that is empty (after trimming) or longer than 200 characters.
        case invalidCategory = "invalid_category"
        /// Features of the wrong length, or holding NaN or infinity.
        case invalidFeatures = "invalid_features"
        /// A head file that is not one (unreadable, wrong format, wrong shapes, bad labels).
        case invalidHeadFile = "invalid_head_file"
        /// A head trained over another backbone's embeddings than the one it is used with.
        case backboneMismatch = "backbone_mismatch"
        /// The nearest-items vote has no registered item to vote with.
        case emptyCollection = "empty_collection"
        /// Options out of range (folds, hidden units, dropout, k …).
        case invalidOptions = "invalid_options"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
