import ArgumentParser
@_spi(Benchmarks) import CNN
import CollectionLearning
import Foundation
import VectorIndex

/// `train`: `HeadTrainer.train` end to end with the default options (512 hidden units,
/// dropout, AdamW, class-balanced batches, early stopping on 20 % held-out photos) on seeded
/// synthetic embeddings shaped like a backbone's: L2-normalised, clustered by category. Prints
/// per run the epochs, seconds, milliseconds per epoch and held-out accuracy, then the median
/// seconds. Every run trains on the same data with the same seed, so runs differ only in time.
struct TrainBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train", abstract: "Time training a collection head on synthetic embeddings.")

    @Option(help: "Photos (one embedding each), dealt evenly over the categories.")
    var items = 1000

    @Option(help: "Categories.")
    var categories = 20

    @Option(help: "Embedding dimension (1280: efficientnet-lite0; 512: mobilenetv2).")
    var dimension = 1280

    @Option(help: "Timed training runs.")
    var runs = 5

    @Option(help: "Expected cosine of two items of one category (0.79: EfficientNet-Lite0 embeddings of 120 coin photos in 6 categories, Docs/Training.md).")
    var within = 0.79

    @Option(help: "Expected cosine of two items of different categories (0.69: the same coins').")
    var across = 0.69

    @Option(name: .customLong("noise-rank"), help: "Dimensions of the subspace the category centres and the items' noise lie in.")
    var noiseRank = 32

    @Option(help: "Seed of the synthetic embeddings.")
    var seed: UInt64 = 1

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    struct Run: Codable {
        let epochs: Int
        let bestEpoch: Int
        let seconds: Double
        let millisecondsPerEpoch: Double
        let heldOutAccuracy: Double?
    }

    struct Report: Codable {
        let items: Int
        let categories: Int
        let dimension: Int
        let within: Double
        let across: Double
        let noiseRank: Int
        let options: TrainingOptions
        let runs: [Run]
        let medianSeconds: Double
    }

    func validate() throws {
        guard categories >= 2, items >= categories else { throw ValidationError("need at least 2 categories and one item per category.") }
        guard dimension >= 1, runs >= 1, noiseRank >= 1 else { throw ValidationError("--dimension, --runs and --noise-rank must be positive.") }
        guard 0 <= across, across <= within, within < 1 else { throw ValidationError("need 0 ≤ --across ≤ --within < 1.") }
    }

    func run() throws {
        let set = try SyntheticEmbeddings.clustered(
            items: items, categories: categories, dimension: dimension, within: within, across: across, noiseRank: noiseRank, seed: seed)
        let backbone = HeadBackbone(model: "synthetic", weightsFingerprint: "synthetic-\(seed)", embeddingDimension: dimension)
        let options = TrainingOptions()
        print("\(items) items, \(categories) categories, \(dimension)-value embeddings (cosine within a category \(within), across \(across), noise rank \(noiseRank), seed \(seed))")
        print("head: \(options.hiddenUnits) hidden units, dropout \(options.dropout), batch \(options.batchSize), at most \(options.maxEpochs) epochs, patience \(options.patience)")
        print("cores \(ProcessInfo.processInfo.activeProcessorCount), OpenBLAS threads \(BLAS.threadCount)\n")
        var table = TableFormatter(["run", "epochs", "best", "seconds", "ms/epoch", "held-out accuracy"])
        var results: [Run] = []
        for run in 1...runs {
            var head: ClassifierHead?
            let seconds = try Measurement.seconds { head = try HeadTrainer.train(set, backbone: backbone, options: options) }
            let report = head!.training!
            let result = Run(
                epochs: report.epochs, bestEpoch: report.bestEpoch, seconds: seconds, millisecondsPerEpoch: seconds * 1e3 / Double(report.epochs),
                heldOutAccuracy: report.heldOutAccuracy)
            results.append(result)
            table.add([
                "\(run)", "\(result.epochs)", "\(result.bestEpoch)", format(result.seconds, 3), format(result.millisecondsPerEpoch, 2),
                result.heldOutAccuracy.map { format($0 * 100, 1) + " %" } ?? "—",
            ])
        }
        print(table.text)
        let median = Statistics(results.map(\.seconds)).median
        print("\nmedian \(format(median, 3)) s")
        if let json {
            try JSONOutput.write(
                Report(
                    items: items, categories: categories, dimension: dimension, within: within, across: across, noiseRank: noiseRank, options: options,
                    runs: results, medianSeconds: median),
                to: json)
        }
    }
}

/// Seeded stand-ins for a collection's embeddings, shaped like a backbone's: L2-normalised, all
/// sharing one direction (photos of one kind of collectible look alike to an ImageNet
/// backbone); on top, each category's centre and each item's noise lie in one
/// `noiseRank`-dimensional subspace, so that the noise blurs the categories into each other
/// (isotropic noise in 1280 dimensions would leave them linearly separable, which real photos
/// are not). With random unit directions, the expected cosine of two items is `within` in one
/// category and `across` between two.
enum SyntheticEmbeddings {
    static func clustered(
        items: Int, categories: Int, dimension: Int, within: Double, across: Double, noiseRank: Int, seed: UInt64
    ) throws(CollectionError) -> TrainingSet {
        var generator = SplitMix64(seed: seed)
        func gaussian() -> Double {
            // Box–Muller; 1 − u keeps the logarithm finite.
            let u = Double.random(in: 0..<1, using: &generator)
            let v = Double.random(in: 0..<1, using: &generator)
            return (-2 * log(1 - u)).squareRoot() * cos(2 * .pi * v)
        }
        func unit() -> [Double] {
            let vector = (0..<dimension).map { _ in gaussian() }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return vector.map { $0 / norm }
        }
        let shared = unit()
        let basis = (0..<noiseRank).map { _ in unit() }
        /// A random unit-norm (in expectation) vector of the subspace.
        func inSubspace() -> [Double] {
            var vector = [Double](repeating: 0, count: dimension)
            for direction in basis {
                let weight = gaussian() / Double(noiseRank).squareRoot()
                for i in 0..<dimension { vector[i] += weight * direction[i] }
            }
            return vector
        }
        let centres = (0..<categories).map { _ in inSubspace() }
        // Shares of the squared norm: shared direction, category direction, noise.
        let (a, b, c) = (across.squareRoot(), (within - across).squareRoot(), (1 - within).squareRoot())
        let samples = (0..<items).map { item in
            let category = item % categories
            let noise = inSubspace()
            let vector = (0..<dimension).map { a * shared[$0] + b * centres[category][$0] + c * noise[$0] }
            let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return TrainingSet.Sample(features: vector.map { Float($0 / norm) }, category: "category \(category)", group: item)
        }
        return try TrainingSet(dimension: dimension, samples: samples)
    }
}
