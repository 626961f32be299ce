import CollectionLearning
import Foundation

/// What `colecionador train` prints on standard output: the cross-validation's accuracies with
/// their confusion tables, and the final head's training report.
enum TrainingText {
    /// The legend of category numbers, then the trained head's and the nearest-items vote's
    /// k-fold accuracy, each with its confusion table.
    static func crossValidation(_ result: CrossValidation.Result, hiddenUnits: Int, k: Int) -> String {
        let categories = result.head.categories
        var text = "\(result.folds)-fold cross-validation over \(result.head.total) photos "
        text += "(each classified by what was learnt from the other folds):\n\ncategories:\n"
        for (number, name) in categories.enumerated() { text += "  #\(number)  \(name)\n" }
        text += "\ntrained head (\(hiddenUnits) hidden units): \(accuracy(result.head))\n\(result.head.table)\n"
        text += "\nnearest items (k = \(k)): \(accuracy(result.nearestItems))\n\(result.nearestItems.table)\n"
        return text
    }

    /// The final head: what it learnt from, how training went, where it was written.
    static func report(_ head: ClassifierHead, path: String) -> String {
        var text = "\nwrote \(path): a head over \(head.backbone.model) embeddings, \(head.hiddenDimension) hidden units, "
        text += "\(head.labels.count) categories\n"
        guard let report = head.training else { return text }
        text += "  photos \(report.photos), samples \(report.samples) (views included), categories \(report.categories)\n"
        text += "  epochs \(report.epochs), best epoch \(report.bestEpoch) (its weights are kept)\n"
        if let heldOutAccuracy = report.heldOutAccuracy {
            text += "  held-out accuracy \(percent(heldOutAccuracy)) (\(report.heldOutPhotos) photos held out for early stopping)\n"
        } else {
            text += "  no photo held out (every category has fewer than 3): trained a fixed number of epochs\n"
        }
        text += "  \(String(format: "%.2f", report.seconds)) s\n"
        return text
    }

    private static func accuracy(_ matrix: ConfusionMatrix) -> String {
        "accuracy \(percent(matrix.accuracy)) (\(matrix.correct) of \(matrix.total) photos)"
    }

    private static func percent(_ fraction: Double) -> String {
        String(format: "%.1f %%", fraction * 100)
    }
}
