/// The error every `VectorIndex` operation throws: a stable `code` to branch on and a `message`
/// that says what went wrong and what to do next.
public struct IndexError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What kind of failure this is. Codes are stable across releases; new ones may be added.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// A vector's length is not a multiple of (or equal to) the index dimension.
        public static let dimensionMismatch = Code(rawValue: "dimension_mismatch")
        /// A vector holds NaN or ±infinity, or (for cosine) has zero length.
        public static let invalidVector = Code(rawValue: "invalid_vector")
        /// The number of ids differs from the number of vectors, or an id repeats within one call.
        public static let invalidIDs = Code(rawValue: "invalid_ids")
        /// `add` was given an id that is already stored; use `upsert` to replace it.
        public static let duplicateID = Code(rawValue: "duplicate_id")
        /// A construction or search parameter is out of range.
        public static let invalidParameter = Code(rawValue: "invalid_parameter")
        /// An `IVFIndex` was used before `train`.
        public static let notTrained = Code(rawValue: "not_trained")
        /// The file is not an index file (wrong magic bytes).
        public static let notAnIndexFile = Code(rawValue: "not_an_index_file")
        /// The file was written by a format version this build cannot read.
        public static let unsupportedVersion = Code(rawValue: "unsupported_version")
        /// The file ends before the data its header describes.
        public static let truncatedFile = Code(rawValue: "truncated_file")
        /// A checksum does not match, or a count or offset is inconsistent.
        public static let corruptFile = Code(rawValue: "corrupt_file")
        /// The file holds another kind of index than the type asked to load it.
        public static let wrongIndexKind = Code(rawValue: "wrong_index_kind")
        /// The operating system refused a file operation (open, write, rename, mmap).
        public static let io = Code(rawValue: "io")
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
