import Foundation
import Models
import Testing

/// Where `ModelCatalog` finds the weights: the environment variable, else `Weights/` in the
/// current directory or a parent, else the library's bundled resources; never the network.
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
        #expect { try ModelCatalog.locate(environment: [:], currentDirectory: "/proc", bundled: nil) } throws: {
            ($0 as? ModelError)?.code == .weightsNotFound
        }
    }

    /// Outside any checkout, with no environment variable, the bundled resources are found: the
    /// copy SwiftPM installs next to the test runner, with the same bytes as `Weights/`.
    @Test func bundledResourcesAreTheFallback() throws {
        let bundled = try #require(ModelCatalog.bundled, "no bundled weights next to the test runner or in the checkout")
        let catalog = try ModelCatalog.locate(environment: [:], currentDirectory: "/proc")
        #expect(catalog == bundled)
        for file in ["efficientnet-lite0.safetensors", "imagenet-labels.txt"] {
            #expect(FileManager.default.contents(atPath: catalog.path(file)) == FileManager.default.contents(atPath: ModelFixtures.weightsDirectory + "/" + file), "\(file)")
        }
        let model = try ImageModel.efficientNetLite0()
        #expect(model.classCount == 1000 && model.embeddingDimension == 1280)
        #expect(model.preparedParameters == .planned, "a library caller's model writes no prepared-parameter file unless asked")
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
