import Foundation
import Models
import Testing

/// Where `ModelCatalog` finds the bundled weights: the environment variable, else `Weights/` in
/// the current directory or a parent; never the network.
@Suite struct ModelCatalogTests {
    @Test func findsWeightsFromADirectoryInsideTheCheckout() throws {
        let catalog = try ModelCatalog.locate(environment: [:], currentDirectory: ModelFixtures.testsDirectory.appendingPathComponent("Fixtures/models").path)
        #expect(URL(fileURLWithPath: catalog.directory).standardizedFileURL == URL(fileURLWithPath: ModelFixtures.weightsDirectory).standardizedFileURL)
        #expect(FileManager.default.fileExists(atPath: catalog.path("imagenet-labels.txt")))
    }

    @Test func environmentVariableWins() throws {
        let catalog = try ModelCatalog.locate(environment: [ModelCatalog.environmentVariable: ModelFixtures.weightsDirectory], currentDirectory: "/")
        #expect(catalog.directory == ModelFixtures.weightsDirectory)
        #expect { try ModelCatalog.locate(environment: [ModelCatalog.environmentVariable: "/nonexistent"], currentDirectory: ModelFixtures.rootDirectory.path) } throws: {
            ($0 as? ModelError)?.code == .weightsNotFound
        }
    }

    @Test func missingWeightsDirectoryIsATypedError() {
        #expect { try ModelCatalog.locate(environment: [:], currentDirectory: "/proc") } throws: {
            ($0 as? ModelError)?.code == .weightsNotFound
        }
    }

    /// MobileNetV2 ships no weights: the catalog says so instead of guessing a file.
    @Test func modelsWithoutBundledWeights() {
        #expect(BuiltInModel.mobileNetV2.bundledWeightsFile == nil)
        #expect { try ModelCatalog(directory: ModelFixtures.weightsDirectory).load(.mobileNetV2) } throws: {
            ($0 as? ModelError)?.code == .weightsNotFound
        }
    }

    @Test func loadsEfficientNetLite0ByName() throws {
        let model = try ModelCatalog(directory: ModelFixtures.weightsDirectory).load(.efficientNetLite0, preparedCache: nil)
        #expect(model.name == "efficientnet-lite0")
        #expect(model.classCount == 1000 && model.embeddingDimension == 1280)
        #expect(BuiltInModel(rawValue: "efficientnet-lite0") == .efficientNetLite0)
    }
}
