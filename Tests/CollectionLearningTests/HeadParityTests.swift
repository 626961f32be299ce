import CNN
import CollectionLearning
import Foundation
import Testing

/// Head training against PyTorch: `Tests/Fixtures/collection/generate_head_parity.py` runs
/// `torch.optim.AdamW` in float64 from the same initial weights, minibatches and dropout keep
/// masks; we replay them in float32 and must land within 1e-4 of every weight and loss.
@Suite("Head training matches PyTorch")
struct HeadParityTests {
    let file: SafeTensorsFile

    init() throws {
        file = try SafeTensorsFile(contentsOf: Fixtures.path("collection", "head_parity.safetensors"))
    }

    func tensor(_ name: String) throws -> [Float] { try file.tensor(name).scalars }
    func shape(_ name: String) -> [Int] { file.info(name)!.shape }
    func number(_ key: String) throws -> Float { try #require(file.metadata[key].flatMap(Float.init), "metadata \(key)") }

    func initialParameters() throws -> HeadParameters {
        let w1 = shape("w1_init"), w2 = shape("w2_init")
        return HeadParameters(
            inputDimension: w1[0], hiddenDimension: w1[1], classCount: w2[1],
            w1: try tensor("w1_init"), b1: try tensor("b1_init"), w2: try tensor("w2_init"), b2: try tensor("b2_init"))
    }

    /// Rows `batch` of the fixture's features, its labels, and that step's keep mask.
    func minibatch(step: Int, parameters: HeadParameters, features: [Float], labels: [Float], batches: [Float], masks: [Float])
        -> (x: [Float], labels: [Int], keep: [Float])
    {
        let batch = shape("batches")[1], d = parameters.inputDimension, h = parameters.hiddenDimension
        let rows = (0..<batch).map { Int(batches[step * batch + $0]) }
        return (
            rows.flatMap { features[($0 * d)..<(($0 + 1) * d)] }, rows.map { Int(labels[$0]) },
            Array(masks[(step * batch * h)..<((step + 1) * batch * h)])
        )
    }

    @Test("the first step's gradients equal PyTorch's within 1e-5")
    func firstGradients() throws {
        let parameters = try initialParameters()
        let (x, labels, keep) = minibatch(
            step: 0, parameters: parameters, features: try tensor("features"), labels: try tensor("labels"), batches: try tensor("batches"),
            masks: try tensor("masks"))
        let gradients = HeadGradients(parameters: parameters, x: x, labels: labels, keep: keep, dropout: try number("dropout"))
        #expect(abs(gradients.loss - Double(try tensor("losses")[0])) < 1e-5)
        for (name, ours) in [("grad_w1_step0", gradients.w1), ("grad_b1_step0", gradients.b1), ("grad_w2_step0", gradients.w2), ("grad_b2_step0", gradients.b2)] {
            let difference = maxAbsoluteDifference(ours, try tensor(name))
            #expect(difference < 1e-5, "\(name): max |ours − torch| = \(difference)")
        }
    }

    @Test("after every AdamW step of the run, losses and final weights within 1e-4 of PyTorch float64")
    func wholeRun() throws {
        let parameters = try initialParameters()
        let optimizer = AdamW(
            learningRate: try number("lr"), beta1: try number("beta1"), beta2: try number("beta2"), epsilon: try number("eps"),
            weightDecay: try number("weight_decay"))
        var trainer = HeadTrainer(parameters: parameters, optimizer: optimizer, dropout: try number("dropout"))
        let features = try tensor("features"), labels = try tensor("labels"), batches = try tensor("batches"), masks = try tensor("masks")
        let expectedLosses = try tensor("losses")
        var worstLoss = 0.0
        for step in 0..<shape("batches")[0] {
            let batch = minibatch(step: step, parameters: parameters, features: features, labels: labels, batches: batches, masks: masks)
            let loss = trainer.step(x: batch.x, labels: batch.labels, keep: batch.keep)
            worstLoss = max(worstLoss, abs(loss - Double(expectedLosses[step])))
        }
        #expect(worstLoss < 1e-4, "max |loss − torch| over \(expectedLosses.count) steps = \(worstLoss)")
        #expect(Double(expectedLosses.last!) < Double(expectedLosses[0]) / 4, "the fixture's run learned something")
        let final = trainer.parameters
        var report = "head parity after \(expectedLosses.count) steps: max |loss − torch| \(worstLoss)"
        for (name, ours) in [("w1_final", final.w1), ("b1_final", final.b1), ("w2_final", final.w2), ("b2_final", final.b2)] {
            let difference = maxAbsoluteDifference(ours, try tensor(name))
            #expect(difference < 1e-4, "\(name): max |ours − torch| = \(difference)")
            report += ", \(name) \(difference)"
        }
        print(report)
    }
}
