import ArgumentParser
import Foundation
import Models
import VectorIndex

/// `colecionador search IMAGE… --index FILE [--k 5] [--json]`: the photos of the index most
/// similar to each image (cosine distance of the model's embeddings).
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Find the photos of an index most similar to a photo.")

    @Argument(help: "JPEG or PNG files to look up.")
    var files: [String]

    @Option(help: "The index file (from `colecionador index build`).")
    var index: String

    @Option(help: "How many similar photos to return.")
    var k: Int = 5

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var choice: ModelChoice

    struct Match: Encodable {
        let id: UInt64
        let path: String?
        let distance: Float
    }

    struct Entry: Encodable {
        let file: String
        let similar: [Match]?
        let error: FileFailure?
    }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Give at least one image file.") }
        guard k >= 1 else { throw ValidationError("--k must be at least 1.") }
    }

    func run() throws {
        let stored = try IndexLoader.load(from: URL(fileURLWithPath: index))
        let catalog = try ItemCatalog(forIndex: index)
        let model = try choice.loadModel()
        guard stored.dimension == model.embeddingDimension else {
            throw CLIError("\(index) holds \(stored.dimension)-value embeddings but \(model.name) makes \(model.embeddingDimension); search with the model the index was built with.")
        }
        var entries: [Entry] = []
        var failures = 0
        ImageFileBatches.process(
            files, model: model,
            run: { (images) throws(ModelError) in try model.embeddings(images: images) },
            report: { (file: String, result: Result<[Float], FileFailure>) in
                switch result {
                case .success(let embedding):
                    do throws(IndexError) {
                        let matches = try stored.search(embedding, k: k).map {
                            Match(id: $0.id, path: catalog.path(of: $0.id), distance: $0.distance)
                        }
                        entries.append(Entry(file: file, similar: matches, error: nil))
                    } catch {
                        failures += 1
                        entries.append(Entry(file: file, similar: nil, error: FileFailure(code: error.code.rawValue, message: error.message)))
                    }
                case .failure(let failure):
                    failures += 1
                    entries.append(Entry(file: file, similar: nil, error: failure))
                }
            })
        if json {
            ImageFileBatches.printJSON(entries)
        } else {
            for entry in entries {
                if let error = entry.error {
                    ImageFileBatches.printError("error: \(entry.file): \(error.message) [\(error.code)]")
                    continue
                }
                print("\(entry.file):")
                for (rank, match) in (entry.similar ?? []).enumerated() {
                    // A cosine distance is never below 0; rounding can leave −3e-7 for the photo itself.
                    print("  \(rank + 1). \(match.path ?? "id \(match.id)")  distance \(String(format: "%.4f", max(0, match.distance)))")
                }
            }
        }
        if failures > 0 { throw ExitCode(1) }
    }
}
