import Classifier
import Foundation
import Models

/// The `result` column of `predictions`: the classification minus its embedding (stored in its
/// own column), as JSON `{"label", "confidence", "accepted", "top_k": [{label, index, confidence}]}`,
/// plus `"adversarial_score"` when the classification was scored (adversarial detection on).
struct StoredClassification: Codable {
    var label: String
    var confidence: Float
    var accepted: Bool
    var topK: [ClassScore]
    var adversarialScore: Float?

    enum CodingKeys: String, CodingKey { case label, confidence, accepted, topK = "top_k", adversarialScore = "adversarial_score" }

    init(_ classification: Classification) {
        label = classification.label
        confidence = classification.confidence
        accepted = classification.accepted
        topK = classification.topK
        adversarialScore = classification.adversarialScore
    }

    func json() -> String {
        String(decoding: (try? JSONEncoder().encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func classification(json: String, embedding: [Float], modelVersion: String) -> Classification? {
        guard let result = try? JSONDecoder().decode(StoredClassification.self, from: Data(json.utf8)) else { return nil }
        return Classification(
            label: result.label, confidence: result.confidence, accepted: result.accepted, topK: result.topK,
            embedding: embedding, modelVersion: modelVersion, adversarialScore: result.adversarialScore)
    }
}
