import ArgumentParser
import CollectionLearning
import Foundation
import Models

/// `colecionador classify FILE… [--head head.safetensors] [--top 5] [--json] [--model …]
/// [--weights …] [--labels …]`: prints each file's most probable labels with their softmax
/// confidences, as a table or as JSON — the model's own labels (ImageNet), or with `--head` the
/// collection's categories that `colecionador train` learnt (the label's index is then the
/// category's number in the head). A file that cannot be read or decoded gets an error (on
/// standard error, or in its JSON entry) and the others go on; the exit status is then 1. A
/// model or head that cannot be loaded, or a head trained over another model, exits with 2.
struct ClassifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify JPEG/PNG photos and print the top labels with their confidences.")

    @Argument(help: "JPEG or PNG files.")
    var files: [String]

    @Option(help: "How many labels to print per file.")
    var top: Int = 5

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(help: "A head file written by `colecionador train`: print the collection's categories instead of the model's labels.")
    var head: String?

    @OptionGroup var choice: ModelChoice

    /// One file's JSON entry: `predictions` or `error`.
    struct Entry: Encodable {
        let file: String
        let predictions: [ClassScore]?
        let error: FileFailure?
    }

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("Give at least one image file.") }
        guard top >= 1 else { throw ValidationError("--top must be at least 1 (got \(top)).") }
    }

    func run() throws {
        let model: ImageModel
        do {
            model = try choice.loadModel()
        } catch {
            ImageFileBatches.printError("error: \(error.message)")
            throw ExitCode(2)
        }
        var classifier: ClassifierHead?
        if let head {
            do {
                classifier = try HeadFile.read(head, for: HeadBackbone(model))
            } catch {
                ImageFileBatches.printError("error: \(error.message)")
                throw ExitCode(2)
            }
        }
        var entries: [Entry] = []
        var failures = 0
        ImageFileBatches.process(
            files, model: model,
            run: { (images) throws(FileFailure) in
                if let classifier { return try classifier.categories(of: images, model: model, top: top) }
                do throws(ModelError) {
                    return try model.classify(images: images, top: top)
                } catch {
                    throw error.fileFailure
                }
            },
            report: { file, result in
                switch result {
                case .success(let predictions):
                    if json {
                        entries.append(Entry(file: file, predictions: predictions, error: nil))
                    } else {
                        print(Self.table(file: file, predictions: predictions), terminator: "")
                    }
                case .failure(let failure):
                    failures += 1
                    if json {
                        entries.append(Entry(file: file, predictions: nil, error: failure))
                    } else {
                        ImageFileBatches.printError("error: \(file): \(failure.message) [\(failure.code)]")
                    }
                }
            })
        if json { ImageFileBatches.printJSON(entries) }
        if failures > 0 { throw ExitCode(1) }
    }

    /// The file name, then one line per prediction: rank, label, confidence in percent, index.
    static func table(file: String, predictions: [ClassScore]) -> String {
        let width = predictions.map(\.label.count).max() ?? 0
        var text = "\(file)\n"
        for (rank, prediction) in predictions.enumerated() {
            let label = prediction.label.padding(toLength: width, withPad: " ", startingAt: 0)
            text += String(format: "  %2d  %@  %6.2f %%  (class %d)\n", rank + 1, label, Double(prediction.confidence) * 100, prediction.index)
        }
        return text
    }
}
