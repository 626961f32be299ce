import CollectionLearning
import Foundation
import Testing
import VectorIndex

/// The analytic gradients of `HeadGradients` against central finite differences of the loss,
/// computed in Float64 by a plain re-implementation of the forward pass in this file (the loss
/// is smooth in every parameter except across a ReLU kink; a difference whose two sides
/// activate other units is skipped).
@Suite("Head gradients by finite differences")
struct GradientCheckTests {
    struct Problem {
        var parameters: HeadParameters
        var x: [Float]
        var labels: [Int]
        var keep: [Float]
    }

    static func problem(seed: UInt64) -> Problem {
        var generator = SplitMix64(seed: seed)
        let (d, h, k, rows) = (7, 6, 4, 5)
        let parameters = HeadParameters(inputDimension: d, hiddenDimension: h, classCount: k, using: &generator)
        let x = (0..<(rows * d)).map { _ in Float.random(in: -1...1, using: &generator) }
        let labels = (0..<rows).map { _ in Int.random(in: 0..<k, using: &generator) }
        let keep = (0..<(rows * h)).map { _ in Float(Bool.random(using: &generator) ? 1 : 0) }
        return Problem(parameters: parameters, x: x, labels: labels, keep: keep)
    }

    /// The training loss in Float64, straight from the definition.
    static func loss(_ p: HeadParameters, _ problem: Problem, dropout: Double) -> (loss: Double, active: [Bool]) {
        let (d, h, k) = (p.inputDimension, p.hiddenDimension, p.classCount)
        var total = 0.0
        var active: [Bool] = []
        for (row, label) in problem.labels.enumerated() {
            var hidden = [Double](repeating: 0, count: h)
            for j in 0..<h {
                var z = Double(p.b1[j])
                for i in 0..<d { z += Double(problem.x[row * d + i]) * Double(p.w1[i * h + j]) }
                active.append(z > 0)
                hidden[j] = max(z, 0) * Double(problem.keep[row * h + j]) / (1 - dropout)
            }
            var logits = [Double](repeating: 0, count: k)
            for c in 0..<k {
                logits[c] = Double(p.b2[c])
                for j in 0..<h { logits[c] += hidden[j] * Double(p.w2[j * k + c]) }
            }
            let largest = logits.max()!
            let logSum = log(logits.reduce(0) { $0 + exp($1 - largest) }) + largest
            total += logSum - logits[label]
        }
        return (total / Double(problem.labels.count), active)
    }

    @Test("every parameter's gradient within 1e-3 relative of the finite difference", arguments: [UInt64(1), 2, 3])
    func finiteDifferences(seed: UInt64) {
        let problem = Self.problem(seed: seed)
        let dropout = 0.5
        let analytic = HeadGradients(parameters: problem.parameters, x: problem.x, labels: problem.labels, keep: problem.keep, dropout: Float(dropout))
        #expect(abs(analytic.loss - Self.loss(problem.parameters, problem, dropout: dropout).loss) < 1e-5)
        let step: Float = 1e-2
        let paths: [(String, WritableKeyPath<HeadParameters, [Float]>, [Float])] = [
            ("w1", \.w1, analytic.w1), ("b1", \.b1, analytic.b1), ("w2", \.w2, analytic.w2), ("b2", \.b2, analytic.b2),
        ]
        var checked = 0
        for (name, path, gradient) in paths {
            for index in gradient.indices {
                var plus = problem.parameters, minus = problem.parameters
                plus[keyPath: path][index] += step
                minus[keyPath: path][index] -= step
                let (up, activeUp) = Self.loss(plus, problem, dropout: dropout)
                let (down, activeDown) = Self.loss(minus, problem, dropout: dropout)
                // A step across a ReLU kink makes the difference meaningless: skip it.
                guard activeUp == activeDown else { continue }
                let numeric = (up - down) / (2 * Double(step))
                let error = abs(numeric - Double(gradient[index]))
                #expect(error <= 1e-3 * max(1, abs(numeric)) + 2e-4, "\(name)[\(index)]: analytic \(gradient[index]) vs numeric \(numeric)")
                checked += 1
            }
        }
        let total = paths.reduce(0) { $0 + $1.2.count }
        #expect(checked * 5 >= total * 4, "at least 80 % of the \(total) parameters were checked (\(checked))")
    }
}
