/// One row of the `model_version_stats` view: per model version, over all recorded requests.
///
/// `meanConfidence` and `acceptanceRate` (share of answers with confidence ≥ the threshold)
/// are the accuracy proxies; `errorRate` is the share of requests that ended in an error.
public struct VersionStats: Sendable, Codable, Equatable {
    public var modelVersion: String
    public var requests: Int
    public var errors: Int
    public var errorRate: Double
    public var meanConfidence: Double?
    public var acceptanceRate: Double?
    public var meanLatencyMilliseconds: Double?

    enum CodingKeys: String, CodingKey {
        case modelVersion = "model_version", requests, errors, errorRate = "error_rate"
        case meanConfidence = "mean_confidence", acceptanceRate = "acceptance_rate"
        case meanLatencyMilliseconds = "mean_latency_ms"
    }
}
