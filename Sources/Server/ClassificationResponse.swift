import Classifier

/// The answer to one classified image, as `POST /v1/classify` returns it (and each successful
/// entry of a batch). `class`, `confidence`, `accepted` and `top_k` are the version's answer
/// (`classifier` says whose: `imagenet`, or the collection's `nearest-items` or `head`); a
/// collection classifier adds the backbone's ImageNet classes as `imagenet_top_k`.
/// `adversarialSuspected` is nil when adversarial detection is off; then neither
/// `adversarial_suspected` nor `adversarial_score` is in the JSON.
struct ClassificationResponse: Sendable, Encodable {
    /// The backbone's output (embedding, ImageNet classes, adversarial score).
    var classification: Classification
    var answer: Answer
    var adversarialSuspected: Bool?
    var similarItems: [SimilarItem]
    var cacheHit: Bool
    var sha256: String
    var includeEmbedding: Bool
    var timings: StageTimings
    var requestID: String

    enum CodingKeys: String, CodingKey {
        case label = "class", confidence, accepted, topK = "top_k", classifier, imagenetTopK = "imagenet_top_k", embedding
        case similarItems = "similar_items"
        case modelVersion = "model_version", cache, sha256, timings = "timings_ms", requestID = "request_id"
        case adversarialSuspected = "adversarial_suspected", adversarialScore = "adversarial_score"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(answer.label, forKey: .label)
        try c.encode(answer.confidence, forKey: .confidence)
        try c.encode(answer.accepted, forKey: .accepted)
        if let adversarialSuspected, let score = classification.adversarialScore {
            try c.encode(adversarialSuspected, forKey: .adversarialSuspected)
            try c.encode(score, forKey: .adversarialScore)
        }
        try c.encode(answer.topK, forKey: .topK)
        try c.encode(answer.classifier, forKey: .classifier)
        try c.encodeIfPresent(answer.imagenetTopK, forKey: .imagenetTopK)
        if includeEmbedding { try c.encode(classification.embedding, forKey: .embedding) }
        try c.encode(similarItems, forKey: .similarItems)
        try c.encode(classification.modelVersion, forKey: .modelVersion)
        try c.encode(cacheHit ? "hit" : "miss", forKey: .cache)
        try c.encode(sha256, forKey: .sha256)
        try c.encode(timings.milliseconds, forKey: .timings)
        try c.encode(requestID, forKey: .requestID)
    }
}
