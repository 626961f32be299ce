import CollectionLearning
import Foundation
import Models
import Testing
import VectorIndex

/// Training end to end on synthetic embeddings whose categories are known, the head file, and
/// every way training data or a head file can be wrong.
@Suite("Head training, files and bad input")
struct HeadTrainingTests {
    static let backbone = HeadBackbone(model: "synthetic", weightsFingerprint: "0123456789abcdef0123456789abcdef", embeddingDimension: 32)

    /// `perCategory` normalised embeddings around each of `categories` random directions
    /// (noise of norm ≈ `noise` relative to the direction), and one fresh sample per category.
    static func clusters(categories: Int, perCategory: Int, noise: Float, seed: UInt64) -> (set: [TrainingSet.Sample], unseen: [(Int, [Float])]) {
        var generator = SplitMix64(seed: seed)
        let d = backbone.embeddingDimension
        func normalised(_ v: [Float]) -> [Float] {
            let n = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / n }
        }
        let centres = (0..<categories).map { _ in normalised((0..<d).map { _ in Float.random(in: -1...1, using: &generator) }) }
        func sample(_ c: Int) -> [Float] {
            normalised(zip(centres[c], (0..<d).map { _ in Float.random(in: -1...1, using: &generator) * noise / Float(d).squareRoot() * 1.7 }).map { $0 + $1 })
        }
        var samples: [TrainingSet.Sample] = []
        for c in 0..<categories {
            for i in 0..<perCategory { samples.append(.init(features: sample(c), category: "category \(c)", group: c * 1000 + i)) }
        }
        return (samples, (0..<categories).map { ($0, sample($0)) })
    }

    @Test("a head learns separable categories and classifies photos it never saw")
    func learnsClusters() throws {
        let (samples, unseen) = Self.clusters(categories: 4, perCategory: 15, noise: 0.6, seed: 7)
        let set = try TrainingSet(dimension: 32, samples: samples)
        var options = TrainingOptions()
        options.hiddenUnits = 64
        var epochs = 0
        let head = try HeadTrainer.train(set, backbone: Self.backbone, options: options) { epochs = $0.epoch }
        let report = try #require(head.training)
        #expect(report.epochs == epochs && report.bestEpoch <= report.epochs)
        #expect(report.heldOutPhotos == 4 * 3, "20 % of each category's 15 photos held out")
        let predictions = try head.predict(unseen.map(\.1))
        for ((category, _), prediction) in zip(unseen, predictions) {
            #expect(prediction.best.label == "category \(category)")
            #expect(abs(prediction.scores.reduce(0) { $0 + $1.confidence } - 1) < 1e-5)
        }
        let hidden = try head.hiddenEmbeddings(unseen.map(\.1))
        #expect(hidden.allSatisfy { $0.count == 64 && abs($0.reduce(0) { $0 + $1 * $1 } - 1) < 1e-4 })
    }

    @Test("a head file round-trips exactly, and refuses another backbone")
    func fileRoundTrip() throws {
        let (samples, unseen) = Self.clusters(categories: 3, perCategory: 6, noise: 0.5, seed: 3)
        var options = TrainingOptions()
        options.hiddenUnits = 16
        options.maxEpochs = 5
        let head = try HeadTrainer.train(try TrainingSet(dimension: 32, samples: samples), backbone: Self.backbone, options: options)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("head-\(UUID()).safetensors").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try HeadFile.write(head, to: path)
        let read = try HeadFile.read(path, for: Self.backbone)
        #expect(read == head)
        #expect(try read.predict(unseen.map(\.1)) == head.predict(unseen.map(\.1)))
        var other = Self.backbone
        other.weightsFingerprint = "ffffffffffffffffffffffffffffffff"
        let error = #expect(throws: CollectionError.self) { try HeadFile.read(path, for: other) }
        #expect(error?.code == .backboneMismatch)
    }

    @Test("training data that cannot teach: none, one category, an empty category, bad names, bad features")
    func badTrainingData() throws {
        func code(_ body: () throws -> Void) -> CollectionError.Code? {
            do { try body() } catch let error as CollectionError { return error.code } catch { return nil }
            return nil
        }
        let one = [Float](repeating: 1 / Float(32).squareRoot(), count: 32)
        #expect(code { _ = try TrainingSet(dimension: 32, samples: []) } == .insufficientTrainingData)
        #expect(code { _ = try TrainingSet(dimension: 32, samples: [.init(features: one, category: "coins", group: 1), .init(features: one, category: "coins", group: 2)]) } == .insufficientTrainingData)
        #expect(code {
            _ = try TrainingSet(dimension: 32, samples: [.init(features: one, category: "coins", group: 1), .init(features: one, category: "stamps", group: 2)], categories: ["coins", "stamps", "cards"])
        } == .insufficientTrainingData)
        #expect(code { _ = try TrainingSet(dimension: 32, samples: [.init(features: one, category: "", group: 1), .init(features: one, category: "b", group: 2)]) } == .invalidCategory)
        #expect(code { _ = try TrainingSet(dimension: 32, samples: [.init(features: one, category: String(repeating: "x", count: 201), group: 1), .init(features: one, category: "b", group: 2)]) } == .invalidCategory)
        #expect(code { _ = try CategoryName.validated(String(repeating: "é", count: 200)) } == nil)
        var nan = one
        nan[3] = .nan
        #expect(code { _ = try TrainingSet(dimension: 32, samples: [.init(features: nan, category: "a", group: 1), .init(features: one, category: "b", group: 2)]) } == .invalidFeatures)
        #expect(code { _ = try TrainingSet(dimension: 32, samples: [.init(features: [1, 2], category: "a", group: 1), .init(features: one, category: "b", group: 2)]) } == .invalidFeatures)
    }

    @Test("a head file with the wrong shapes, labels or format is refused with invalid_head_file")
    func badHeadFiles() throws {
        let (samples, _) = Self.clusters(categories: 3, perCategory: 4, noise: 0.5, seed: 5)
        var options = TrainingOptions()
        options.hiddenUnits = 8
        options.maxEpochs = 2
        let head = try HeadTrainer.train(try TrainingSet(dimension: 32, samples: samples), backbone: Self.backbone, options: options)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("heads-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.safetensors").path
        try HeadFile.write(head, to: good)
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: good)))

        // Another category count in the labels than the output layer has.
        let fewerLabels = try ClassifierHeadEditing.rewritingMetadata(bytes, key: "labels", value: "[\"category 0\",\"category 1\"]")
        // A hidden layer over 31 inputs where the backbone embeds in 32.
        let cases: [(String, [UInt8])] = [
            ("labels disagree with the output layer", fewerLabels),
            ("not a head", try ClassifierHeadEditing.rewritingMetadata(bytes, key: "format", value: "something-else")),
            ("truncated", Array(bytes.prefix(bytes.count / 2))),
            ("wrong input width", try ClassifierHeadEditing.rewritingMetadata(bytes, key: "backbone_embedding_dimension", value: "31")),
        ]
        for (name, corrupt) in cases {
            let path = directory.appendingPathComponent("bad.safetensors").path
            try Data(corrupt).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: CollectionError.self, "\(name)") { try HeadFile.read(path) }
            #expect(error?.code == .invalidHeadFile, "\(name): \(String(describing: error))")
        }
    }
}
