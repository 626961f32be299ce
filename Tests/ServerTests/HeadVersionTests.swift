import Classifier
import CollectionLearning
import Foundation
import Models
import Server
import Testing
import VectorIndex

/// A head file named by a version's configuration loads as that version's classifier (backbone
/// plus head), and one trained over another backbone stops the start with a message saying so.
@Suite struct HeadVersionTests {
    @Test func configuredHeadLoadsAndAForeignHeadIsRefused() throws {
        let lite0 = try TestEnvironment.lite0.get()
        var generator = SplitMix64(seed: 11)
        let samples = (0..<8).map { row in
            TrainingSet.Sample(
                features: (0..<lite0.embeddingDimension).map { _ in Float.random(in: 0...1, using: &generator) }, category: row % 2 == 0 ? "coins" : "stamps",
                group: row)
        }
        var options = TrainingOptions()
        options.hiddenUnits = 8
        options.maxEpochs = 2
        let head = try HeadTrainer.train(
            try TrainingSet(dimension: lite0.embeddingDimension, samples: samples), backbone: try HeadBackbone(lite0), options: options)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-head-version-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try HeadFile.write(head, to: directory.appendingPathComponent("coins.safetensors").path)

        let json = """
            {"models": [
              {"id": "coins", "architecture": "efficientnet-lite0", "weights": "\(TestEnvironment.path("Weights/efficientnet-lite0.safetensors"))",
               "labels": "\(TestEnvironment.path("Weights/imagenet-labels.txt"))", "classifier": {"kind": "head", "file": "coins.safetensors"}, "traffic": 1},
              {"id": "vote", "architecture": "efficientnet-lite0", "weights": "\(TestEnvironment.path("Weights/efficientnet-lite0.safetensors"))",
               "labels": "\(TestEnvironment.path("Weights/imagenet-labels.txt"))", "classifier": {"kind": "nearest-items", "k": 7}, "traffic": 1}
            ], "prepared_cache": "off"}
            """
        let configPath = directory.appendingPathComponent("config.json").path
        try Data(json.utf8).write(to: URL(fileURLWithPath: configPath))
        let registry = try ServiceConfiguration.load(path: configPath).makeRegistry()
        guard case .head(let loaded) = registry.versions[0].classifier else { Issue.record("not a head: \(registry.versions[0].classifier)"); return }
        #expect(loaded.labels == ["coins", "stamps"])
        guard case .nearestItems(let vote) = registry.versions[1].classifier else { Issue.record("not a vote"); return }
        #expect(vote.k == 7)
        #expect(registry.versions.map(\.backbone) == ["coins", "coins"], "one backbone: the same model and weights")

        // The same head named by a MobileNetV2 version: another backbone.
        let foreign = ModelVersionSpec(
            id: "mnv2", architecture: "mobilenetv2", weights: TestEnvironment.path("Tests/Fixtures/models/mobilenetv2_head_f16.safetensors"),
            labels: nil, classifier: .head(file: "coins.safetensors"), traffic: 1)
        let error = #expect(throws: ClassifierRegistryError.self) {
            try ModelRegistry(specs: [foreign], baseDirectory: directory.path, preparedCache: nil)
        }
        #expect(error?.message.contains("trained over") == true, "\(String(describing: error))")

        let unknownKind = #"{"models": [{"id": "a", "architecture": "efficientnet-lite0", "weights": "w", "classifier": {"kind": "svm"}, "traffic": 1}]}"#
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(ServiceConfiguration.self, from: Data(unknownKind.utf8)) }
    }
}
