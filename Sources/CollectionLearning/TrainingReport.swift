/// What one training run did, saved with the head.
public struct TrainingReport: Sendable, Equatable, Codable {
    /// Photos (distinct groups) and samples (views) trained on, and the categories.
    public var photos: Int
    public var samples: Int
    public var categories: Int
    /// Photos held out for early stopping (0: none could be spared; trained a fixed number of epochs).
    public var heldOutPhotos: Int
    public var epochs: Int
    /// The epoch whose weights were kept (the best held-out loss), from 1.
    public var bestEpoch: Int
    public var trainingLoss: Double
    public var heldOutLoss: Double?
    public var heldOutAccuracy: Double?
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case photos, samples, categories, heldOutPhotos = "held_out_photos", epochs, bestEpoch = "best_epoch"
        case trainingLoss = "training_loss", heldOutLoss = "held_out_loss", heldOutAccuracy = "held_out_accuracy", seconds
    }
}

/// Where a training run is, after each epoch.
public struct TrainingProgress: Sendable {
    public var epoch: Int
    public var maxEpochs: Int
    public var trainingLoss: Double
    public var heldOutLoss: Double?
    public var heldOutAccuracy: Double?
}
