import Classifier

/// What happened to one image of a classification request, as stored: always an
/// `ab_test_results` row, plus a `predictions` row when `classification` was computed (not
/// served from a cache).
public struct ABTestRecord: Sendable {
    public var requestID: String
    /// The image's place in its request (0 for a single image; the batch position otherwise).
    public var position: Int
    public var clientKey: String?
    public var modelVersion: String
    public var sha256: String?
    /// `ok`, or the error code.
    public var outcome: String
    /// The backbone's output (what the caches hold), when the photo was classified.
    public var classification: Classification?
    /// What the version answered (its classifier's class), when it answered.
    public var answer: Answer?
    /// True when the answer came from a cache (then no `predictions` row is written).
    public var cacheHit: Bool
    public var latencyMilliseconds: Double
    /// Unix seconds.
    public var timestamp: Double
}
