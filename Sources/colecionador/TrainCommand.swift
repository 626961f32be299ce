import ArgumentParser
import CollectionLearning
import Foundation
import Models

/// `colecionador train DIR --out head.safetensors [--folds 5] [--augment] [--hidden 512]
/// [--max-epochs 200] [--seed 1] [--k 10] [model options]`: learns a collection's own
/// categories from a directory with one folder of photos per category (`CategoryFolders`).
///
/// Embeds every photo once (with `--augment`, also its mirror, central crop and mirrored crop),
/// estimates by k-fold cross-validation how well a trained head and the nearest-items vote
/// would classify the collection's next photos, then trains the head on every photo and writes
/// it (`HeadFile`). Exit status 2 when nothing can be trained (bad layout, bad options, the
/// model or the head file failing), 1 when the head was written but some photos were skipped.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Learn a collection's categories from a directory of photos, one folder per category.")

    @Argument(help: "A directory with one folder per category (the folder's name), holding its JPEG/PNG photos.")
    var directory: String

    @Option(help: "The head file to write (safetensors).")
    var out: String

    @Option(help: "Folds of the cross-validation run before the final training (at least 2; 0 skips it).")
    var folds = 5

    @Flag(help: "Also train on each photo's mirror, central crop (80 %) and mirrored crop.")
    var augment = false

    @Option(help: "Hidden units of the head.")
    var hidden = TrainingOptions().hiddenUnits

    @Option(name: .customLong("max-epochs"), help: "The most passes over the photos (training stops earlier when the held-out loss stops improving).")
    var maxEpochs = TrainingOptions().maxEpochs

    @Option(help: "Seed of everything random in training (initialisation, batches, dropout, held-out photos, folds).")
    var seed: UInt64 = TrainingOptions().seed

    @Option(help: "How many nearest photos vote in the cross-validation of the nearest-items vote.")
    var k = NearestItemsVote.defaultK

    @OptionGroup var choice: ModelChoice

    func validate() throws {
        guard folds == 0 || folds >= 2 else {
            throw ValidationError("--folds must be at least 2, or 0 to skip the cross-validation (got \(folds)).")
        }
    }

    func run() throws {
        do {
            try train()
        } catch let error as CollectionError {
            throw Self.fail(error.message)
        } catch let error as ModelError {
            throw Self.fail(error.message)
        } catch let error as CLIError {
            throw Self.fail(error.description)
        }
    }

    /// Prints `error: MESSAGE` on standard error; the exit code for a run that trained nothing.
    private static func fail(_ message: String) -> ExitCode {
        ImageFileBatches.printError("error: \(message)")
        return ExitCode(2)
    }

    private func train() throws {
        // Everything that costs nothing is checked before the model loads and photos are embedded.
        var options = TrainingOptions()
        options.hiddenUnits = hidden
        options.maxEpochs = maxEpochs
        options.seed = seed
        try options.validate()
        let vote = try NearestItemsVote(k: k)
        let folders = try CategoryFolders(directory: directory)
        if !folders.ignored.isEmpty {
            let shown = folders.ignored.prefix(3).joined(separator: ", ") + (folders.ignored.count > 3 ? ", …" : "")
            ImageFileBatches.printError("note: ignored, not a .jpg/.jpeg/.png photo in a category folder: \(shown)")
        }
        do {
            try folders.checkTrainable()
        } catch {
            ImageFileBatches.printError("error: \(error.message)")
            ImageFileBatches.printError("note: \(directory) must hold one folder per category (its name is the category), each with its photos.")
            throw ExitCode(2)
        }

        let model = try choice.loadModel()
        let backbone = try HeadBackbone(model)
        let views = augment ? " and their \(PhotoViews.augmentedCount - 1) augmented views" : ""
        ImageFileBatches.printError("embedding \(folders.photoCount) photos\(views) in \(folders.folders.count) categories with \(model.name)")
        let (samples, failures) = TrainingEmbedding.samples(of: folders, model: model, augment: augment)
        let set: TrainingSet
        do {
            set = try TrainingSet(dimension: model.embeddingDimension, samples: samples, categories: folders.categories)
        } catch {
            // A category left without photos here lost them all to decoding errors.
            if failures > 0 { ImageFileBatches.printError("note: \(Self.skipped(failures)) (see above).") }
            throw error
        }

        if folds > 0 {
            var status = StatusLine()
            let result = try CrossValidation.run(set, folds: folds, backbone: backbone, options: options, vote: vote) { fold, epoch in
                status.show("cross-validation: fold \(fold + 1)/\(folds), \(Self.describe(epoch))")
            }
            status.finish()
            print(TrainingText.crossValidation(result, hiddenUnits: options.hiddenUnits, k: vote.k), terminator: "")
        }

        var status = StatusLine()
        let head = try HeadTrainer.train(set, backbone: backbone, options: options) { epoch in
            status.show("training on every photo: \(Self.describe(epoch))")
        }
        status.finish()
        try HeadFile.write(head, to: out)
        print(TrainingText.report(head, path: out), terminator: "")
        if failures > 0 {
            ImageFileBatches.printError("note: \(Self.skipped(failures)) (see above).")
            throw ExitCode(1)
        }
    }

    /// `1 photo could not be read or decoded and was left out`.
    private static func skipped(_ count: Int) -> String {
        count == 1 ? "1 photo could not be read or decoded and was left out" : "\(count) photos could not be read or decoded and were left out"
    }

    /// `epoch 37/200, held-out loss 0.412`.
    private static func describe(_ epoch: TrainingProgress) -> String {
        let loss = epoch.heldOutLoss.map { String(format: "held-out loss %.3f", $0) } ?? String(format: "training loss %.3f", epoch.trainingLoss)
        return "epoch \(epoch.epoch)/\(epoch.maxEpochs), \(loss)"
    }
}
