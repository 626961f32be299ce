import ArgumentParser
import Foundation
import Models
import VectorIndex

/// The index kinds the CLI builds.
enum IndexKindOption: String, ExpressibleByArgument, CaseIterable {
    case hnsw, ivf, flat
}

/// `colecionador index build DIR --out FILE [--kind hnsw|ivf|flat]` and
/// `colecionador index add FILE… --index FILE`: embed photos with the model and store their
/// embeddings (cosine metric) in a vector index file, with `FILE.items.tsv` mapping ids to paths.
struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Build or extend a vector index of photo embeddings.",
        subcommands: [Build.self, Add.self])

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Embed every JPEG/PNG in a directory into a new index.")

        @Argument(help: "A directory of photos (searched recursively).")
        var directory: String

        @Option(help: "The index file to write.")
        var out: String

        @Option(help: "Index kind: hnsw, ivf or flat.")
        var kind: IndexKindOption = .hnsw

        @OptionGroup var choice: ModelChoice

        func run() throws {
            let files = try PhotoFiles.list(in: directory)
            guard !files.isEmpty else { throw CLIError("No .jpg, .jpeg or .png files under \(directory).") }
            let model = try choice.loadModel()
            var catalog = ItemCatalog()
            let (ids, vectors, failures) = try IndexEmbedding.embed(files, model: model, catalog: &catalog)
            let index: any VectorIndex
            switch kind {
            case .flat:
                index = try FlatIndex(dimension: model.embeddingDimension, metric: .cosine)
            case .hnsw:
                index = try HNSWIndex(dimension: model.embeddingDimension, metric: .cosine)
            case .ivf:
                let lists = max(1, Int(Double(ids.count).squareRoot()))
                let ivf = try IVFIndex(dimension: model.embeddingDimension, metric: .cosine, configuration: .init(nlist: lists, nprobe: min(10, lists)))
                if !ids.isEmpty { try ivf.train(on: vectors) }
                index = ivf
            }
            if !ids.isEmpty { try index.add(ids: ids, vectors: vectors) }
            try index.save(to: URL(fileURLWithPath: out))
            try catalog.save(forIndex: out)
            print("\(out): \(index.count) photos, \(kind.rawValue), \(model.name) embeddings of \(model.embeddingDimension) values")
            if failures > 0 { throw ExitCode(1) }
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Embed photos and add them to an existing index (a photo already in it is replaced).")

        @Argument(help: "JPEG or PNG files.")
        var files: [String]

        @Option(help: "The index file to extend.")
        var index: String

        @OptionGroup var choice: ModelChoice

        func run() throws {
            let stored = try IndexLoader.load(from: URL(fileURLWithPath: index))
            var catalog = try ItemCatalog(forIndex: index)
            let model = try choice.loadModel()
            let (ids, vectors, failures) = try IndexEmbedding.embed(files, model: model, catalog: &catalog)
            if !ids.isEmpty { try stored.upsert(ids: ids, vectors: vectors) }
            try stored.save(to: URL(fileURLWithPath: index))
            try catalog.save(forIndex: index)
            print("\(index): \(stored.count) photos")
            if failures > 0 { throw ExitCode(1) }
        }
    }
}

/// Embeds photo files in batches with a progress bar; bad files are reported and skipped.
enum IndexEmbedding {
    static func embed(_ files: [String], model: ImageModel, catalog: inout ItemCatalog) throws -> (ids: [UInt64], vectors: [Float], failures: Int) {
        var ids: [UInt64] = []
        var vectors: [Float] = []
        var failures = 0
        var progress = ProgressBar(total: files.count)
        ImageFileBatches.process(
            files, model: model,
            run: { (images) throws(ModelError) in try model.embeddings(images: images) },
            report: { (file: String, result: Result<[Float], FileFailure>) in
                progress.advance()
                switch result {
                case .success(let embedding):
                    ids.append(catalog.id(for: file))
                    vectors += embedding
                case .failure(let failure):
                    failures += 1
                    ImageFileBatches.printError("\nerror: \(file): \(failure.message) [\(failure.code)]")
                }
            })
        return (ids, vectors, failures)
    }
}

/// The photos under a directory, sorted, by extension.
enum PhotoFiles {
    static func list(in directory: String) throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory) else {
            throw CLIError("Cannot read the directory \(directory).")
        }
        let extensions: Set = ["jpg", "jpeg", "png"]
        return enumerator.compactMap { $0 as? String }
            .filter { extensions.contains(($0 as NSString).pathExtension.lowercased()) }
            .sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }
}
