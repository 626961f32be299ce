import Models

/// A collection classifier's answer for one photo: its categories by probability, most
/// probable first (`ClassScore.index` is the category's position in the classifier's sorted
/// category list).
public struct CategoryPrediction: Sendable, Equatable {
    public var scores: [ClassScore]

    public init(scores: [ClassScore]) {
        self.scores = scores
    }

    /// The most probable category.
    public var best: ClassScore { scores[0] }

    /// The `k` most probable categories.
    public func top(_ k: Int) -> [ClassScore] { Array(scores.prefix(max(k, 1))) }

    /// Categories ranked from one probability per category (`probabilities[i]` is `labels[i]`'s);
    /// ties keep the lower index first.
    public init(probabilities: [Float], labels: [String]) {
        let order = probabilities.indices.sorted { probabilities[$0] > probabilities[$1] || (probabilities[$0] == probabilities[$1] && $0 < $1) }
        scores = order.map { ClassScore(label: labels[$0], index: $0, confidence: probabilities[$0]) }
    }
}
