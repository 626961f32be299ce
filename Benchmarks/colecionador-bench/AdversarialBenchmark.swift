import ArgumentParser
import Classifier
import Foundation
import Imaging
import Models

/// `adversarial`: evaluates feature-squeezing detection (`FeatureSqueezingDetector`, default
/// squeezers) on the full set `Tests/Fixtures/adversarial/generate.py` writes. Calibrates the
/// threshold on the clean calibration crops at `--false-positive-rate` (or takes
/// `--threshold`), then prints, per attack of the evaluation set: attack success with our
/// model (top-1 differs from our top-1 on the clean crop) and with TensorFlow, the detection
/// rate among our successful examples and among all, and the false-positive rate on the clean
/// evaluation crops. Also checks our scores and classes against TensorFlow's.
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

    struct Row: Codable {
        let kind: String
        let images: Int
        let successOurs: Double?
        let successTensorFlow: Double?
        let flagged: Double
        let detectedAmongSuccessful: Double?
    }

    struct Report: Codable {
        let threshold: Float
        let calibrationImages: Int
        let calibrationFalsePositiveRate: Double
        let rows: [Row]
        let classAgreementWithTensorFlow: Double
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

        let calibration = entries.indices.filter { entries[$0].set == "calibration" }.map { scores[$0] }.sorted()
        detector.threshold = threshold ?? calibration[max(0, Int((Double(calibration.count) * (1 - falsePositiveRate)).rounded(.up)) - 1)]
        let calibrationRate = Double(calibration.filter(detector.isSuspected(score:)).count) / Double(calibration.count)

        let evaluation = entries.indices.filter { entries[$0].set == "evaluation" }
        let cleanClass = Dictionary(
            uniqueKeysWithValues: evaluation.filter { entries[$0].kind == "clean" }.map { (entries[$0].number, classes[$0]) })
        var kinds: [String] = []
        for index in evaluation where !kinds.contains(entries[index].kind) { kinds.append(entries[index].kind) }
        var rows: [Row] = []
        var table = TableFormatter(["set", "images", "attack success (ours)", "attack success (TF)", "flagged", "detected among successful"])
        for kind in kinds {
            let members = evaluation.filter { entries[$0].kind == kind }
            let flagged = Double(members.filter { detector.isSuspected(score: scores[$0]) }.count) / Double(members.count)
            var row = Row(kind: kind, images: members.count, successOurs: nil, successTensorFlow: nil, flagged: flagged, detectedAmongSuccessful: nil)
            if kind != "clean" {
                let successful = members.filter { classes[$0] != cleanClass[entries[$0].number]! }
                let successTF = Double(members.filter { entries[$0].attackSucceeded == true }.count) / Double(members.count)
                let detected = Double(successful.filter { detector.isSuspected(score: scores[$0]) }.count) / Double(max(successful.count, 1))
                row = Row(
                    kind: kind, images: members.count, successOurs: Double(successful.count) / Double(members.count),
                    successTensorFlow: successTF, flagged: flagged, detectedAmongSuccessful: detected)
            }
            rows.append(row)
            func percent(_ value: Double?) -> String { value.map { format($0 * 100, 1) + " %" } ?? "–" }
            table.add([kind, "\(row.images)", percent(row.successOurs), percent(row.successTensorFlow), percent(row.flagged), percent(row.detectedAmongSuccessful)])
        }
        let agreement = Double(entries.indices.filter { classes[$0] == entries[$0].predictedClass }.count) / Double(entries.count)
        let scoreDifference = entries.indices.map { abs(Double(scores[$0]) - entries[$0].tfScore) }.max() ?? 0
        print("squeezers \(detector.squeezers.map(\.description).joined(separator: ", ")); threshold \(detector.threshold)"
            + (threshold == nil ? " (calibrated on \(calibration.count) clean crops" : " (given; \(calibration.count) calibration crops")
            + ", \(format(calibrationRate * 100, 1)) % of them flagged)\n")
        print(table.text)
        print("\ntop-1 agrees with TensorFlow on \(format(agreement * 100, 2)) % of \(entries.count) images; max |score − TF score| = \(format(scoreDifference, 5))")
        if let json {
            try JSONOutput.write(
                Report(
                    threshold: detector.threshold, calibrationImages: calibration.count, calibrationFalsePositiveRate: calibrationRate, rows: rows,
                    classAgreementWithTensorFlow: agreement, maxScoreDifferenceFromTensorFlow: scoreDifference),
                to: json)
        }
    }
}
