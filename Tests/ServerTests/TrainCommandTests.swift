import CollectionLearning
import Foundation
import Testing

/// `colecionador train` and `colecionador classify --head`, as a collector runs them: the real
/// executable on a directory of labelled photos (copied from `Samples/collection`), and every
/// way the directory or the head can be wrong (exit status 2, the reason on standard error).
@Suite("colecionador train and classify --head")
struct TrainCommandTests {
    @Test("train learns 3 categories of 4 photos; classify --head answers with one of them")
    func trainAndClassify() async throws {
        var directory = try TrainingDirectory()
        defer { directory.remove() }
        var photos: [URL] = []
        for category in try TrainingDirectory.sampleCategories(3, photos: 4) {
            photos += try directory.addCategory(category, photos: 4)
        }
        let head = directory.url.appendingPathComponent("head.safetensors").path
        let train = try await CommandLineRun.colecionador([
            "train", directory.url.path, "--out", head, "--folds", "2", "--hidden", "32", "--max-epochs", "30",
        ])
        #expect(train.status == 0, "stderr: \(train.standardError)")
        #expect(train.standardOutput.contains("2-fold cross-validation over 12 photos"), "stdout: \(train.standardOutput)")
        #expect(train.standardOutput.contains("trained head (32 hidden units): accuracy"))
        #expect(train.standardOutput.contains("nearest items (k = 10): accuracy"))

        let loaded = try HeadFile.read(head)
        #expect(loaded.labels == directory.categories.sorted())
        #expect(loaded.hiddenDimension == 32)
        #expect(loaded.backbone.model == "efficientnet-lite0")
        #expect(loaded.training?.photos == 12)

        let classify = try await CommandLineRun.colecionador(["classify", "--head", head, "--top", "2", photos[0].path])
        #expect(classify.status == 0, "stderr: \(classify.standardError)")
        let lines = classify.standardOutput.split(separator: "\n")
        try #require(lines.count == 3, "the file, then 2 categories: \(classify.standardOutput)")
        #expect(lines[0] == photos[0].path)
        for line in lines.dropFirst() {
            #expect(directory.categories.contains { line.contains($0) }, "\(line) names none of \(directory.categories)")
        }
    }

    @Test("a category folder without photos: exit 2, naming the folder, before any photo is embedded")
    func emptyCategory() async throws {
        var directory = try TrainingDirectory()
        defer { directory.remove() }
        let samples = try TrainingDirectory.sampleCategories(2, photos: 2)
        try directory.addCategory(samples[0], photos: 2)
        try directory.addCategory(samples[1], photos: 2)
        try directory.addCategory("empty category", photos: 0)
        let run = try await CommandLineRun.colecionador(["train", directory.url.path, "--out", directory.url.appendingPathComponent("head.safetensors").path])
        #expect(run.status == 2)
        #expect(run.standardError.contains("error: The category 'empty category' has no photo"), "stderr: \(run.standardError)")
        #expect(!run.standardError.contains("embedding"), "the layout is checked before the model embeds anything")
        #expect(!FileManager.default.fileExists(atPath: directory.url.appendingPathComponent("head.safetensors").path))
    }

    @Test("a single category folder: exit 2")
    func singleCategory() async throws {
        var directory = try TrainingDirectory()
        defer { directory.remove() }
        let sample = try TrainingDirectory.sampleCategories(1, photos: 2)[0]
        try directory.addCategory(sample, photos: 2)
        let run = try await CommandLineRun.colecionador(["train", directory.url.path, "--out", directory.url.appendingPathComponent("head.safetensors").path])
        #expect(run.status == 2)
        #expect(run.standardError.contains("a classifier needs at least two categories"), "stderr: \(run.standardError)")
    }

    @Test("no category folder at all: exit 2")
    func noCategory() async throws {
        let directory = try TrainingDirectory()
        defer { directory.remove() }
        let run = try await CommandLineRun.colecionador(["train", directory.url.path, "--out", directory.url.appendingPathComponent("head.safetensors").path])
        #expect(run.status == 2)
        #expect(run.standardError.contains("There are no items to learn from"), "stderr: \(run.standardError)")
    }

    @Test("classify --head with a head trained over other weights: exit 2 with backbone_mismatch's message")
    func headOfAnotherBackbone() async throws {
        let directory = try TrainingDirectory()
        defer { directory.remove() }
        var generator = SystemRandomNumberGenerator()
        let foreign = try ClassifierHead(
            parameters: HeadParameters(inputDimension: 1280, hiddenDimension: 4, classCount: 2, using: &generator), labels: ["coins", "stamps"],
            inputScale: 1, backbone: HeadBackbone(model: "efficientnet-lite0", weightsFingerprint: "other-weights", embeddingDimension: 1280))
        let head = directory.url.appendingPathComponent("foreign.safetensors").path
        try HeadFile.write(foreign, to: head)
        let photo = try TrainingDirectory.sampleFiles(of: TrainingDirectory.sampleCategories(1, photos: 1)[0])[0]
        let run = try await CommandLineRun.colecionador(["classify", "--head", head, photo.path])
        #expect(run.status == 2)
        #expect(run.standardError.contains("error: This head was trained over 'efficientnet-lite0' weights other-weights"), "stderr: \(run.standardError)")
        #expect(run.standardOutput.isEmpty)
    }
}
