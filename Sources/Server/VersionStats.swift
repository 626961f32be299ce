/// One row of the `model_version_stats` view: per model version, over all recorded requests.
///
/// `accuracy` is the share of answers whose class is the category that feedback gave (over the
/// `feedback` answers that have some; nil when none has). `meanConfidence` and
/// `acceptanceRate` (share of answers with confidence ≥ the threshold) are the proxies when
/// there is no feedback; `errorRate` is the share of requests that ended in an error.
public struct VersionStats: Sendable, Codable, Equatable {
    public var modelVersion: String
    public var requests: Int
    public var errors: Int
    public var errorRate: Double
    public var meanConfidence: Double?
    public var acceptanceRate: Double?
    public var meanLatencyMilliseconds: Double?
    public var feedback: Int
    public var accuracy: Double?

    enum CodingKeys: String, CodingKey {
        case modelVersion = "model_version", requests, errors, errorRate = "error_rate"
        case meanConfidence = "mean_confidence", acceptanceRate = "acceptance_rate"
        case meanLatencyMilliseconds = "mean_latency_ms", feedback, accuracy
    }
}
