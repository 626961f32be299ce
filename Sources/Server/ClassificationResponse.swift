import Classifier

/// The answer to one classified image, as `POST /v1/classify` returns it (and each successful
/// entry of a batch). `adversarialSuspected` is nil when adversarial detection is off; then
/// neither `adversarial_suspected` nor `adversarial_score` is in the JSON.
struct ClassificationResponse: Sendable, Encodable {
    var classification: Classification
    var adversarialSuspected: Bool?
    var similarItems: [SimilarItem]
    var cacheHit: Bool
    var sha256: String
    var includeEmbedding: Bool
    var timings: StageTimings
    var requestID: String

    enum CodingKeys: String, CodingKey {
        case label = "class", confidence, accepted, topK = "top_k", embedding, similarItems = "similar_items"
        case modelVersion = "model_version", cache, sha256, timings = "timings_ms", requestID = "request_id"
        case adversarialSuspected = "adversarial_suspected", adversarialScore = "adversarial_score"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(classification.label, forKey: .label)
        try c.encode(classification.confidence, forKey: .confidence)
        try c.encode(classification.accepted, forKey: .accepted)
        if let adversarialSuspected, let score = classification.adversarialScore {
            try c.encode(adversarialSuspected, forKey: .adversarialSuspected)
            try c.encode(score, forKey: .adversarialScore)
        }
        try c.encode(classification.topK, forKey: .topK)
        if includeEmbedding { try c.encode(classification.embedding, forKey: .embedding) }
        try c.encode(similarItems, forKey: .similarItems)
        try c.encode(classification.modelVersion, forKey: .modelVersion)
        try c.encode(cacheHit ? "hit" : "miss", forKey: .cache)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(timings.milliseconds, forKey: .timings)
        try c.encode(requestID, forKey: .requestID)
    }
}
