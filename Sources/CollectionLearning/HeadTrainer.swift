import Foundation
import VectorIndex

/// Trains a `ClassifierHead` in Swift: minibatch AdamW over softmax cross-entropy with
/// dropout, class-balanced minibatches, a seeded generator for everything random
/// (initialisation, batches, dropout masks, the held-out split), and early stopping on the
/// held-out photos' loss (the best epoch's weights are kept).
///
/// `step` is one update on a given minibatch and keep mask — what the PyTorch parity test
/// replays; `train` is the whole run.
public struct HeadTrainer: Sendable {
    public private(set) var parameters: HeadParameters
    public private(set) var optimizer: AdamW
    public let dropout: Float

    public init(parameters: HeadParameters, optimizer: AdamW, dropout: Float) {
        self.parameters = parameters
        self.optimizer = optimizer
        self.dropout = dropout
    }

    /// One AdamW update on the minibatch `x` (`[labels.count, inputDimension]`) with keep mask
    /// `keep` (`[labels.count, hiddenDimension]` of 0/1; nil: no dropout). Returns the
    /// minibatch's mean cross-entropy before the update.
    @discardableResult
    public mutating func step(x: [Float], labels: [Int], keep: [Float]?) -> Double {
        let gradients = HeadGradients(parameters: parameters, x: x, labels: labels, keep: keep, dropout: dropout)
        optimizer.update(&parameters, with: gradients)
        return gradients.loss
    }

    /// Trains a head over `set` (normalised embeddings of `backbone`); `progress` is called
    /// after every epoch.
    public static func train(
        _ set: TrainingSet, backbone: HeadBackbone, options: TrainingOptions = TrainingOptions(),
        progress: ((TrainingProgress) -> Void)? = nil
    ) throws(CollectionError) -> ClassifierHead {
        try options.validate()
        guard set.dimension == backbone.embeddingDimension else {
            throw CollectionError(
                .invalidFeatures, "The training embeddings have \(set.dimension) values but '\(backbone.model)' embeds in \(backbone.embeddingDimension).")
        }
        let start = ContinuousClock.now
        var generator = SplitMix64(seed: options.seed)
        let inputScale = Float(set.dimension).squareRoot()
        let (trainRows, heldOutRows) = heldOutSplit(set, fraction: options.validationFraction, using: &generator)
        let training = set.rows(trainRows)
        let heldOut = set.rows(heldOutRows)
        let x = training.features.map { $0 * inputScale }
        let heldOutX = heldOut.features.map { $0 * inputScale }

        var trainer = HeadTrainer(
            parameters: HeadParameters(
                inputDimension: set.dimension, hiddenDimension: options.hiddenUnits, classCount: set.categories.count, using: &generator),
            optimizer: AdamW(learningRate: options.learningRate, weightDecay: options.weightDecay), dropout: options.dropout)
        var batches = BalancedBatches(labels: training.labels, classCount: set.categories.count, batchSize: options.batchSize)
        let epochs = heldOut.count > 0 ? options.maxEpochs : min(options.maxEpochs, options.epochsWithoutValidation)
        var best = (epoch: 0, loss: Double.infinity, accuracy: Double?.none, parameters: trainer.parameters, trainingLoss: Double.infinity)
        var epoch = 0
        while epoch < epochs {
            epoch += 1
            var lossSum = 0.0
            let epochBatches = batches.epoch(using: &generator)
            for batch in epochBatches {
                var rows: [Float] = []
                rows.reserveCapacity(batch.count * set.dimension)
                for row in batch { rows += x[(row * set.dimension)..<((row + 1) * set.dimension)] }
                let keep = options.dropout > 0 ? keepMask(count: batch.count * options.hiddenUnits, dropout: options.dropout, using: &generator) : nil
                lossSum += trainer.step(x: rows, labels: batch.map { training.labels[$0] }, keep: keep)
            }
            let trainingLoss = lossSum / Double(epochBatches.count)
            var heldOutLoss: Double?
            var heldOutAccuracy: Double?
            if heldOut.count > 0 {
                let evaluation = evaluate(trainer.parameters, x: heldOutX, labels: heldOut.labels)
                (heldOutLoss, heldOutAccuracy) = (evaluation.loss, evaluation.accuracy)
            }
            progress?(TrainingProgress(
                epoch: epoch, maxEpochs: epochs, trainingLoss: trainingLoss, heldOutLoss: heldOutLoss, heldOutAccuracy: heldOutAccuracy))
            let score = heldOutLoss ?? trainingLoss
            // An improvement must be worth a patience reset: on separable photos the held-out
            // loss keeps shrinking by ever smaller amounts and would never stop the run.
            if heldOut.count == 0 || score < best.loss - Self.minimumImprovement {
                best = (epoch, score, heldOutAccuracy, trainer.parameters, trainingLoss)
            } else if epoch - best.epoch >= options.patience {
                break
            }
        }
        let report = TrainingReport(
            photos: Set(set.groups).count, samples: set.count, categories: set.categories.count, heldOutPhotos: Set(heldOut.groups).count,
            epochs: epoch, bestEpoch: best.epoch, trainingLoss: best.trainingLoss, heldOutLoss: heldOut.count > 0 ? best.loss : nil,
            heldOutAccuracy: best.accuracy, seconds: (ContinuousClock.now - start).seconds)
        return try ClassifierHead(
            parameters: best.parameters, labels: set.categories, inputScale: inputScale, backbone: backbone, training: report)
    }

    /// The held-out loss decrease (nats) that counts as better for early stopping.
    public static let minimumImprovement = 1e-4

    /// Mean cross-entropy and accuracy without dropout.
    static func evaluate(_ parameters: HeadParameters, x: [Float], labels: [Int]) -> (loss: Double, accuracy: Double) {
        let rows = labels.count
        var logits = parameters.logits(hidden: parameters.hidden(x, rows: rows), rows: rows)
        let k = parameters.classCount
        var correct = 0
        for row in 0..<rows {
            let slice = logits[(row * k)..<((row + 1) * k)]
            if slice.indices.max(by: { slice[$0] < slice[$1] })! - row * k == labels[row] { correct += 1 }
        }
        let loss = Softmax.crossEntropyGradient(&logits, labels: labels, columns: k)
        return (loss, Double(correct) / Double(rows))
    }

    /// Rows to train on and rows held out: per category, `fraction` of its photos (all views
    /// of a photo go together), drawn at random; categories with fewer than 3 photos hold none out.
    static func heldOutSplit<G: RandomNumberGenerator>(_ set: TrainingSet, fraction: Float, using generator: inout G) -> (training: [Int], heldOut: [Int]) {
        var heldOutGroups = Set<Int>()
        for photos in set.groupsByCategory() where photos.count >= 3 && fraction > 0 {
            let count = max(1, Int((Float(photos.count) * fraction).rounded()))
            heldOutGroups.formUnion(photos.shuffled(using: &generator).prefix(count))
        }
        let heldOut = set.rows(inGroups: heldOutGroups)
        let heldOutSet = Set(heldOut)
        return ((0..<set.count).filter { !heldOutSet.contains($0) }, heldOut)
    }

    static func keepMask<G: RandomNumberGenerator>(count: Int, dropout: Float, using generator: inout G) -> [Float] {
        (0..<count).map { _ in Float.random(in: 0..<1, using: &generator) < dropout ? 0 : 1 }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
