import CollectionLearning
import Models

/// What a model version answers for one photo: the class, its probability, whether it passes
/// the acceptance threshold, and the `k` most probable classes — ImageNet's or, for a
/// collection classifier, the collection's categories (then `imagenetTopK` keeps the
/// backbone's own classes as an extra).
public struct Answer: Sendable, Equatable {
    public var label: String
    public var confidence: Float
    public var accepted: Bool
    public var topK: [ClassScore]
    public var imagenetTopK: [ClassScore]?
    /// `imagenet`, `nearest-items` or `head` (`ClassifierSpec.kind`).
    public var classifier: String
}

extension ModelVersion {
    /// The answer of this version's classifier for `classification` (the backbone's output for
    /// the photo). The nearest-items vote searches `index`, which must hold this version's
    /// backbone's items.
    public func answer(
        for classification: Classification, index: ItemIndex, acceptanceThreshold: Float, topK: Int
    ) throws(ClassifierError) -> Answer {
        let prediction: CategoryPrediction
        switch classifier {
        case .imagenet:
            return Answer(
                label: classification.label, confidence: classification.confidence, accepted: classification.accepted,
                topK: classification.topK, imagenetTopK: nil, classifier: spec.classifier.kind)
        case .nearestItems(let vote):
            guard index.modelVersion == backbone else {
                throw ClassifierError(.emptyCollection, "Model version '\(id)' has no items of its backbone to vote with.")
            }
            let neighbours: [SimilarItem]
            do {
                neighbours = try index.similar(to: classification.embedding, k: vote.k)
            } catch {
                throw ClassifierError(.inferenceFailed, "The nearest-items search of version '\(id)' failed: \(error).")
            }
            do {
                prediction = try vote.predict(neighbours.map { .init(category: $0.category, distance: $0.distance) })
            } catch {
                throw ClassifierError(
                    .emptyCollection,
                    "Model version '\(id)' answers in the collection's categories, and no item is registered yet; register items with their categories (POST /v1/items), or ask another version.")
            }
        case .head(let head):
            do {
                prediction = try head.predict([classification.embedding])[0]
            } catch {
                throw ClassifierError(.inferenceFailed, "The head of version '\(id)' failed: \(error.message)")
            }
        }
        let best = prediction.best
        return Answer(
            label: best.label, confidence: best.confidence, accepted: best.confidence >= acceptanceThreshold,
            topK: prediction.top(topK), imagenetTopK: classification.topK, classifier: spec.classifier.kind)
    }
}
