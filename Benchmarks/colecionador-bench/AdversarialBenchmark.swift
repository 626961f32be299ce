import ArgumentParser
import Classifier
import Foundation
import Imaging
@_spi(Benchmarks) import Models

/// `adversarial`: evaluates feature-squeezing detection (`FeatureSqueezingDetector`, default
/// squeezers) on the full set `Tests/Fixtures/adversarial/generate.py` writes. Calibrates the
/// threshold on our scores of the clean calibration crops at `--false-positive-rate` (or takes
/// `--threshold`), then prints, per set of the evaluation (clean, each attack), side by side
/// for our runtime and for TensorFlow (the manifest's `tf_score` and `attack_succeeded`) at
/// that one threshold: successful attacks, flagged images (on clean crops: false positives),
/// flagged among the successful examples (detection), how many verdicts agree, the median
/// score and the ROC AUC against the clean crops. Also our top-1 class and score against
/// TensorFlow's on every image.
struct AdversarialBenchmark: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adversarial", abstract: "Detection and false-positive rates of feature squeezing.")

    @Option(help: "The directory generate.py wrote (with manifest.json).")
    var directory = "/tmp/colecionador-adversarial"

    @Option(help: "False-positive rate on the clean calibration crops that sets the threshold.")
    var falsePositiveRate = 0.05

    @Option(help: "Use this threshold instead of calibrating one.")
    var threshold: Float?

    @Option(help: "Images per forward pass (each runs with its squeezed copies).")
    var batch = 8

    @Option(help: "Write the results as JSON to this file.")
    var json: String?

    struct Entry: Decodable {
        let file: String
        let set: String
        let attack: String
        let epsilon: Int
        let cleanClass: Int
        let predictedClass: Int
        let attackSucceeded: Bool?
        let tfScore: Double

        enum CodingKeys: String, CodingKey {
            case file, set, attack, epsilon, cleanClass = "clean_class", predictedClass = "predicted_class"
            case attackSucceeded = "attack_succeeded", tfScore = "tf_score"
        }

        /// `fgsm4`, `pgd8`, `clean`: the folder of the file.
        var kind: String { file.split(separator: "/")[1].description }
        /// The evaluation image the file was made from (its number).
        var number: String { file.split(separator: "/")[2].description }
    }

    struct Manifest: Decodable { let entries: [Entry] }

    /// One set of the evaluation (clean, or one attack), by our runtime and by TensorFlow
    /// (`tf_score`, `attack_succeeded` of the manifest) at the same threshold. Counts are of
    /// images; "successful" means the top-1 class differs from the clean crop's top-1 class
    /// (each runtime's own classes); AUC is the ROC AUC of the successful examples' scores
    /// against the clean evaluation crops' scores (ties count ½).
    struct Row: Codable {
        let kind: String
        let images: Int
        let successfulOurs: Int?
        let successfulTensorFlow: Int?
        let flaggedOurs: Int
        let flaggedTensorFlow: Int
        let detectedAmongSuccessfulOurs: Int?
        let detectedAmongSuccessfulTensorFlow: Int?
        let verdictAgreement: Int
        let medianScoreOurs: Double
        let medianScoreTensorFlow: Double
        let aucOurs: Double?
        let aucTensorFlow: Double?
    }

    struct Report: Codable {
        let threshold: Float
        let calibrationImages: Int
        let calibrationFlaggedOurs: Int
        let calibrationFlaggedTensorFlow: Int
        let rows: [Row]
        let classAgreementWithTensorFlow: Int
        let images: Int
        let maxScoreDifferenceFromTensorFlow: Double
    }

    func run() throws {
        let model = try ModelCatalog.locate().load(.efficientNetLite0)
        let manifestURL = URL(fileURLWithPath: directory).appendingPathComponent("manifest.json")
        let entries = try JSONDecoder().decode(Manifest.self, from: Data(contentsOf: manifestURL)).entries
        var detector = FeatureSqueezingDetector()
        var scores: [Float] = []
        var classes: [Int] = []
        var start = 0
        while start < entries.count {
            let chunk = entries[start..<min(start + batch, entries.count)]
            let views = try chunk.map { entry -> Image in
                let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: directory).appendingPathComponent(entry.file)))
                let image = try Image(decoding: bytes)
                guard image.width == model.preprocessing.cropSize, image.height == model.preprocessing.cropSize else {
                    throw BenchmarkError("\(entry.file) is \(image.width)×\(image.height); the crops must be \(model.preprocessing.cropSize)².")
                }
                return image
            }
            for result in try detector.scores(of: views, model: model) {
                scores.append(result.score)
                classes.append(result.probabilities.indices.max { result.probabilities[$0] < result.probabilities[$1] }!)
            }
            start += chunk.count
            print("\r\(start)/\(entries.count) images scored", terminator: "")
        }
        print("\n")

        let calibrationIndices = entries.indices.filter { entries[$0].set == "calibration" }
        let calibration = calibrationIndices.map { scores[$0] }.sorted()
        detector.threshold = threshold ?? calibration[max(0, Int((Double(calibration.count) * (1 - falsePositiveRate)).rounded(.up)) - 1)]
        let flaggedTF = { (index: Int) in entries[index].tfScore > Double(detector.threshold) }
        let flaggedOurs = { (index: Int) in detector.isSuspected(score: scores[index]) }
        let calibrationFlagged = calibrationIndices.filter(flaggedOurs).count
        let calibrationFlaggedTF = calibrationIndices.filter(flaggedTF).count

        let evaluation = entries.indices.filter { entries[$0].set == "evaluation" }
        let cleanIndices = evaluation.filter { entries[$0].kind == "clean" }
        let cleanIndex = Dictionary(uniqueKeysWithValues: cleanIndices.map { (entries[$0].number, $0) })
        var kinds: [String] = []
        for index in evaluation where !kinds.contains(entries[index].kind) { kinds.append(entries[index].kind) }
        var rows: [Row] = []
        var table = TableFormatter([
            "set", "images", "successful: ours vs TF", "flagged: ours vs TF", "detected among successful: ours vs TF",
            "verdicts agree", "median score: ours vs TF", "AUC: ours vs TF",
        ])
        for kind in kinds {
            let members = evaluation.filter { entries[$0].kind == kind }
            let flagged = (members.filter(flaggedOurs).count, members.filter(flaggedTF).count)
            let agree = members.filter { flaggedOurs($0) == flaggedTF($0) }.count
            var row = Row(
                kind: kind, images: members.count, successfulOurs: nil, successfulTensorFlow: nil,
                flaggedOurs: flagged.0, flaggedTensorFlow: flagged.1, detectedAmongSuccessfulOurs: nil,
                detectedAmongSuccessfulTensorFlow: nil, verdictAgreement: agree,
                medianScoreOurs: median(members.map { Double(scores[$0]) }), medianScoreTensorFlow: median(members.map { entries[$0].tfScore }),
                aucOurs: nil, aucTensorFlow: nil)
            if kind != "clean" {
                let successful = members.filter { classes[$0] != classes[cleanIndex[entries[$0].number]!] }
                let successfulTF = members.filter { entries[$0].attackSucceeded == true }
                row = Row(
                    kind: kind, images: members.count, successfulOurs: successful.count, successfulTensorFlow: successfulTF.count,
                    flaggedOurs: flagged.0, flaggedTensorFlow: flagged.1,
                    detectedAmongSuccessfulOurs: successful.filter(flaggedOurs).count,
                    detectedAmongSuccessfulTensorFlow: successfulTF.filter(flaggedTF).count, verdictAgreement: agree,
                    medianScoreOurs: median(successful.map { Double(scores[$0]) }),
                    medianScoreTensorFlow: median(successfulTF.map { entries[$0].tfScore }),
                    aucOurs: auc(successful.map { Double(scores[$0]) }, against: cleanIndices.map { Double(scores[$0]) }),
                    aucTensorFlow: auc(successfulTF.map { entries[$0].tfScore }, against: cleanIndices.map { entries[$0].tfScore }))
            }
            rows.append(row)
            func pair(_ ours: Int?, _ tf: Int?, of ourTotal: Int?, _ tfTotal: Int?) -> String {
                guard let ours, let tf, let ourTotal, let tfTotal else { return "–" }
                return "\(ours)/\(ourTotal) \(percent(ours, ourTotal)) vs \(tf)/\(tfTotal) \(percent(tf, tfTotal))"
            }
            table.add([
                kind, "\(row.images)",
                pair(row.successfulOurs, row.successfulTensorFlow, of: row.images, row.images),
                pair(row.flaggedOurs, row.flaggedTensorFlow, of: row.images, row.images),
                pair(row.detectedAmongSuccessfulOurs, row.detectedAmongSuccessfulTensorFlow, of: row.successfulOurs, row.successfulTensorFlow),
                "\(row.verdictAgreement)/\(row.images)",
                format(row.medianScoreOurs, 3) + " vs " + format(row.medianScoreTensorFlow, 3),
                row.aucOurs.map { format($0, 3) + " vs " + format(row.aucTensorFlow!, 3) } ?? "–",
            ])
        }
        let agreement = entries.indices.filter { classes[$0] == entries[$0].predictedClass }.count
        let scoreDifference = entries.indices.map { abs(Double(scores[$0]) - entries[$0].tfScore) }.max() ?? 0
        print("squeezers \(detector.squeezers.map(\.description).joined(separator: ", ")); threshold \(detector.threshold)"
            + (threshold == nil ? " (calibrated on our scores of \(calibration.count) clean crops)" : " (given)")
            + "; calibration crops flagged: ours \(calibrationFlagged), TF \(calibrationFlaggedTF) of \(calibration.count)\n")
        print(table.text)
        print("\ntop-1 agrees with TensorFlow on \(agreement) of \(entries.count) images; max |score − TF score| = \(format(scoreDifference, 5))")
        if let json {
            try JSONOutput.write(
                Report(
                    threshold: detector.threshold, calibrationImages: calibration.count, calibrationFlaggedOurs: calibrationFlagged,
                    calibrationFlaggedTensorFlow: calibrationFlaggedTF, rows: rows, classAgreementWithTensorFlow: agreement,
                    images: entries.count, maxScoreDifferenceFromTensorFlow: scoreDifference),
                to: json)
        }
    }

    private func percent(_ count: Int, _ total: Int) -> String {
        total == 0 ? "–" : format(Double(count) / Double(total) * 100, 1) + " %"
    }

    /// The middle value (mean of the two middle values for an even count); 0 for none.
    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// P(a random `positive` score > a random `negative` score), ties ½ (Mann–Whitney).
    private func auc(_ positives: [Double], against negatives: [Double]) -> Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        let wins = positives.reduce(0.0) { sum, p in
            negatives.reduce(sum) { $0 + ($1 < p ? 1 : $1 == p ? 0.5 : 0) }
        }
        return wins / Double(positives.count * negatives.count)
    }
}
