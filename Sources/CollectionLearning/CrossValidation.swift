import VectorIndex

/// k-fold cross-validation of both collection classifiers on labelled photos: each fold's
/// photos are classified by a head trained on the other folds and by the nearest-items vote
/// over the other folds' photos. Folds are stratified (each category's photos are dealt round
/// the folds in a seeded random order) and split by photo, so no view of a test photo is
/// trained on; only the photos themselves (not their derived views) are scored.
public enum CrossValidation {
    public struct Result: Sendable {
        public var folds: Int
        public var head: ConfusionMatrix
        public var nearestItems: ConfusionMatrix
    }

    public static func run(
        _ set: TrainingSet, folds: Int, backbone: HeadBackbone, options: TrainingOptions = TrainingOptions(),
        vote: NearestItemsVote, progress: ((_ fold: Int, _ epoch: TrainingProgress) -> Void)? = nil
    ) throws(CollectionError) -> Result {
        let photos = set.groupsByCategory()
        guard folds >= 2 else { throw CollectionError(.invalidOptions, "Cross-validation needs at least 2 folds (\(folds) given).") }
        guard photos.reduce(0, { $0 + $1.count }) >= folds else {
            throw CollectionError(.insufficientTrainingData, "There are fewer photos than folds; use fewer folds.")
        }
        var generator = SplitMix64(seed: options.seed ^ 0x5EED_F01D)
        var foldOf: [Int: Int] = [:]
        var next = 0
        for categoryPhotos in photos {
            for photo in categoryPhotos.shuffled(using: &generator) {
                foldOf[photo] = next % folds
                next += 1
            }
        }
        var head = ConfusionMatrix(categories: set.categories)
        var nearest = ConfusionMatrix(categories: set.categories)
        for fold in 0..<folds {
            let testRows = (0..<set.count).filter { foldOf[set.groups[$0]] == fold && set.isOriginal[$0] }
            let trainRows = (0..<set.count).filter { foldOf[set.groups[$0]] != fold }
            guard !testRows.isEmpty else { continue }
            let training = set.rows(trainRows)
            var foldOptions = options
            foldOptions.seed = options.seed &+ UInt64(fold)
            let trained = try HeadTrainer.train(training, backbone: backbone, options: foldOptions) { progress?(fold, $0) }
            let embeddings = testRows.map { Array(set.features[($0 * set.dimension)..<(($0 + 1) * set.dimension)]) }
            let predictions = try trained.predict(embeddings)
            let references = (0..<training.count).filter { training.isOriginal[$0] }
            for (position, row) in testRows.enumerated() {
                head.record(actual: set.labels[row], predicted: predictions[position].best.index)
                let neighbours = references.map { reference in
                    NearestItemsVote.Neighbour(
                        category: set.categories[training.labels[reference]],
                        distance: 1 - dot(embeddings[position], training.features, row: reference, dimension: set.dimension))
                }
                let voted = try vote.predict(neighbours).best.label
                nearest.record(actual: set.labels[row], predicted: set.categories.firstIndex(of: voted)!)
            }
        }
        return Result(folds: folds, head: head, nearestItems: nearest)
    }

    private static func dot(_ a: [Float], _ matrix: [Float], row: Int, dimension: Int) -> Float {
        var sum: Float = 0
        for i in 0..<dimension { sum += a[i] * matrix[row * dimension + i] }
        return sum
    }
}
