/// How a head is trained. The defaults are the original design's head (512 hidden units,
/// dropout 0.5) with AdamW settings that suit a few hundred to a few thousand photos.
public struct TrainingOptions: Sendable, Equatable, Codable {
    public var hiddenUnits = 512
    public var dropout: Float = 0.5
    public var learningRate: Float = 1e-3
    public var weightDecay: Float = 1e-2
    public var batchSize = 64
    /// The most passes over the training photos.
    public var maxEpochs = 200
    /// Stop after this many epochs without a held-out loss better by `HeadTrainer.minimumImprovement`
    /// (and keep the best weights).
    public var patience = 20
    /// The share of each category's photos held out for early stopping (categories with fewer
    /// than three photos keep all of theirs for training).
    public var validationFraction: Float = 0.2
    /// Epochs when nothing could be held out (every category too small to spare a photo).
    public var epochsWithoutValidation = 60
    public var seed: UInt64 = 1

    public init() {}

    /// Throws `invalid_options` naming the first setting out of range.
    public func validate() throws(CollectionError) {
        func check(_ condition: Bool, _ message: String) throws(CollectionError) {
            if !condition { throw CollectionError(.invalidOptions, message) }
        }
        try check((1...8192).contains(hiddenUnits), "hidden units must be 1…8192 (\(hiddenUnits) given).")
        try check(dropout >= 0 && dropout < 1, "dropout must be in [0, 1) (\(dropout) given).")
        try check(learningRate > 0 && learningRate.isFinite, "the learning rate must be positive (\(learningRate) given).")
        try check(weightDecay >= 0 && weightDecay.isFinite, "weight decay must be ≥ 0 (\(weightDecay) given).")
        try check((1...65536).contains(batchSize), "the batch size must be 1…65536 (\(batchSize) given).")
        try check((1...100_000).contains(maxEpochs), "max epochs must be 1…100000 (\(maxEpochs) given).")
        try check(patience >= 1, "patience must be at least 1 epoch (\(patience) given).")
        try check(validationFraction >= 0 && validationFraction < 1, "the validation fraction must be in [0, 1) (\(validationFraction) given).")
        try check(epochsWithoutValidation >= 1, "epochs without validation must be at least 1 (\(epochsWithoutValidation) given).")
    }
}
