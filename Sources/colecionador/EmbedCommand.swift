import ArgumentParser
import Foundation
import Models

/// `colecionador embed FILE… [--json] [--model …] [--weights …]`: prints each file's
/// L2-normalised embedding (1280 values for efficientnet-lite0, 512 for mobilenetv2), as text
/// (a header line with the dimension, then 8 values per line) or as JSON. Bad files are reported
/// and skipped; the exit status is then 1.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print the L2-normalised embedding of JPEG/PNG photos.")

    @Argument(help: "JPEG or PNG files.")
    var files: [String]

    @Flag(help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var choice: ModelChoice

    /// One file's JSON entry: `dimension` and `embedding`, or `error`.
    struct Entry: Encodable {
        let file: String
        let dimension: Int?
        let embedding: [Float]?
        let error: FileFailure?
    }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Give at least one image file.") }
    }

    func run() throws {
        let model: ImageModel
        do {
            model = try choice.loadModel()
        } catch {
            ImageFileBatches.printError("error: \(error.message)")
            throw ExitCode(2)
        }
        var entries: [Entry] = []
        var failures = 0
        ImageFileBatches.process(
            files, model: model,
            run: { (images) throws(ModelError) in try model.embeddings(images: images) },
            report: { file, result in
                switch result {
                case .success(let embedding):
                    if json {
                        entries.append(Entry(file: file, dimension: embedding.count, embedding: embedding, error: nil))
                    } else {
                        print(Self.text(file: file, embedding: embedding, model: model.name), terminator: "")
                    }
                case .failure(let failure):
                    failures += 1
                    if json {
                        entries.append(Entry(file: file, dimension: nil, embedding: nil, error: failure))
                    } else {
                        ImageFileBatches.printError("error: \(file): \(failure.message) [\(failure.code)]")
                    }
                }
            })
        if json { ImageFileBatches.printJSON(entries) }
        if failures > 0 { throw ExitCode(1) }
    }

    /// `FILE: D-dimensional embedding (model)`, then the values, 8 per line.
    static func text(file: String, embedding: [Float], model: String) -> String {
        var text = "\(file): \(embedding.count)-dimensional embedding (\(model), L2-normalised)\n"
        var start = 0
        while start < embedding.count {
            let line = embedding[start..<min(start + 8, embedding.count)].map { String(format: "% .6f", Double($0)) }
            text += " " + line.joined(separator: " ") + "\n"
            start += 8
        }
        return text
    }
}
