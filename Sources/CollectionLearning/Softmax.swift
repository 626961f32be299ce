import Foundation

/// Numerically stable softmax and softmax cross-entropy over rows of logits.
enum Softmax {
    /// Softmax of each row of `logits` (`[rows, columns]`), in place.
    static func normalize(_ logits: inout [Float], rows: Int, columns: Int) {
        for row in 0..<rows {
            let base = row * columns
            var largest = -Float.infinity
            for column in 0..<columns { largest = max(largest, logits[base + column]) }
            var total: Double = 0
            for column in 0..<columns {
                let e = Float(exp(Double(logits[base + column] - largest)))
                logits[base + column] = e
                total += Double(e)
            }
            for column in 0..<columns { logits[base + column] = Float(Double(logits[base + column]) / total) }
        }
    }

    /// Turns each row of `logits` into the gradient of the mean cross-entropy over the rows
    /// (`(softmax − onehot(label)) / rows`) and returns that mean cross-entropy.
    static func crossEntropyGradient(_ logits: inout [Float], labels: [Int], columns: Int) -> Double {
        let rows = labels.count
        var loss: Double = 0
        for row in 0..<rows {
            let base = row * columns
            var largest = -Double.infinity
            for column in 0..<columns { largest = max(largest, Double(logits[base + column])) }
            var total: Double = 0
            for column in 0..<columns { total += exp(Double(logits[base + column]) - largest) }
            let logTotal = log(total) + largest
            loss += logTotal - Double(logits[base + labels[row]])
            for column in 0..<columns {
                let probability = exp(Double(logits[base + column]) - logTotal)
                logits[base + column] = Float((probability - (column == labels[row] ? 1 : 0)) / Double(rows))
            }
        }
        return loss / Double(rows)
    }
}
