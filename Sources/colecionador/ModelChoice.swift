import ArgumentParser
import CNN
import Foundation
import Imaging
import Models

extension BuiltInModel: ExpressibleByArgument {}

/// The options `classify` and `embed` share: which model, and where its files are. Without
/// `--weights`, the bundled weights are found by `ModelCatalog` (`--weights-dir`, then
/// `COLECIONADOR_WEIGHTS`, then `Weights/` in the current directory or a parent).
struct ModelChoice: ParsableArguments {
    @Option(help: "The model: \(BuiltInModel.allCases.map(\.rawValue).joined(separator: " or ")).")
    var model: BuiltInModel = .efficientNetLite0

    @Option(help: "A .safetensors weights file (required for mobilenetv2, which ships without weights).")
    var weights: String?

    @Option(help: "A labels file, one label per line (default: the bundled ImageNet labels for efficientnet-lite0; 'class i' for mobilenetv2).")
    var labels: String?

    @Option(name: .customLong("weights-dir"), help: "The directory holding the bundled weights (default: $\(ModelCatalog.environmentVariable), else Weights/ in the current directory or a parent, else the weights bundled with the program).")
    var weightsDirectory: String?

    /// Loads the model, sharing its prepared parameters through the standard cache
    /// (`PreparedParameterCache.standard()`); says on standard error when that is not possible.
    func loadModel() throws(ModelError) -> ImageModel {
        let model = try loadModelFromFiles()
        if let warning = InstructionSet.report { ImageFileBatches.printError("note: \(warning)") }
        if case .privateMemory = model.preparedParameters {
            ImageFileBatches.printError("note: \(model.preparedParameters)")
        }
        return model
    }

    private func loadModelFromFiles() throws(ModelError) -> ImageModel {
        if let weights {
            var labelsPath = labels
            if labelsPath == nil, let bundled = model.bundledLabelsFile, let catalog = try? catalog() {
                labelsPath = catalog.path(bundled)
            }
            return try model.load(weights: weights, labels: labelsPath, preparedCache: .standard())
        }
        let catalog = try catalog()
        if let labels, let bundled = model.bundledWeightsFile {
            return try model.load(weights: catalog.path(bundled), labels: labels, preparedCache: .standard())
        }
        return try catalog.load(model, preparedCache: .standard())
    }

    private func catalog() throws(ModelError) -> ModelCatalog {
        if let weightsDirectory { return ModelCatalog(directory: weightsDirectory) }
        return try ModelCatalog.locate()
    }
}

/// Why one input file produced no result.
struct FileFailure: Error, Encodable {
    /// `unreadable`, an `ImagingError` code (`corrupt`, `unsupported_format`, …), a
    /// `ModelError` code or a `CollectionError` code.
    let code: String
    let message: String
}

/// An error that can stand for one input file's failure: what `ImageFileBatches.process`
/// reports against every file of a batch whose run failed.
protocol FileFailureReason: Error {
    var fileFailure: FileFailure { get }
}

extension FileFailure: FileFailureReason {
    var fileFailure: FileFailure { self }
}

extension ModelError: FileFailureReason {
    var fileFailure: FileFailure { FileFailure(code: code.rawValue, message: message) }
}

/// Decodes and runs input files in batches, reporting each file's outcome in input order.
enum ImageFileBatches {
    /// Images decoded and run through the network together.
    static let batchSize = 16

    /// Calls `report` once per file, in order, with its output or the reason it has none. A bad
    /// file never stops the others. JPEGs are decoded with a short side of at least
    /// `decodingShortSide` (default: the model's resize).
    static func process<Output, Failure: FileFailureReason>(
        _ files: [String], model: ImageModel, decodingShortSide: Int? = nil,
        run: ([Image]) throws(Failure) -> [Output],
        report: (String, Result<Output, FileFailure>) -> Void
    ) {
        let shortSide = decodingShortSide ?? model.preprocessing.resizeShortSide
        var start = 0
        while start < files.count {
            let chunk = Array(files[start..<min(start + batchSize, files.count)])
            start += chunk.count
            let decoded = chunk.map { decode($0, shortSide: shortSide) }
            let images = decoded.compactMap { try? $0.get() }
            var outputs: [Output] = []
            var runFailure: FileFailure?
            if !images.isEmpty {
                do {
                    outputs = try run(images)
                } catch {
                    runFailure = error.fileFailure
                }
            }
            var next = 0
            for (file, result) in zip(chunk, decoded) {
                switch result {
                case .failure(let failure):
                    report(file, .failure(failure))
                case .success:
                    if let runFailure {
                        report(file, .failure(runFailure))
                    } else {
                        report(file, .success(outputs[next]))
                    }
                    next += 1
                }
            }
        }
    }

    /// Reads and decodes one file; JPEGs are decoded at the smallest DCT scale that keeps the
    /// short side ≥ `shortSide`.
    static func decode(_ file: String, shortSide: Int) -> Result<Image, FileFailure> {
        guard let data = FileManager.default.contents(atPath: file) else {
            return .failure(FileFailure(code: "unreadable", message: "Cannot read \(file); check that it exists and is readable."))
        }
        do {
            return .success(try Image(decoding: [UInt8](data), minimumShortSide: shortSide))
        } catch {
            return .failure(FileFailure(code: error.code.rawValue, message: error.message))
        }
    }

    /// Writes `value` as pretty-printed JSON to standard output.
    static func printJSON<Value: Encodable>(_ value: Value) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(value)) ?? Data("null".utf8)
        print(String(decoding: data, as: UTF8.self))
    }

    /// Writes one line to standard error.
    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
