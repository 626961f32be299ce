import CNN

/// Parameter counts computed from a graph's inferred shapes (not from any weights file).
struct GraphParameters: CustomStringConvertible {
    /// Convolution and dense weights and biases, BatchNorm gamma and beta.
    var trainable = 0
    /// `trainable` plus the BatchNorm running mean and variance: the elements a weights file holds.
    var stored = 0

    init(_ graph: Graph) {
        for node in graph.nodes {
            guard let operation = node.operation else { continue }
            let input = node.inputs.first.map { graph.shape(of: $0) }
            switch operation {
            case .conv2d(let conv):
                let count = conv.kernel.height * conv.kernel.width * (input!.channels / conv.groups) * conv.outputChannels
                    + (conv.hasBias ? conv.outputChannels : 0)
                trainable += count
                stored += count
            case .dense(let dense):
                let count = input!.elementsPerSample * dense.units + (dense.hasBias ? dense.units : 0)
                trainable += count
                stored += count
            case .batchNorm:
                trainable += 2 * node.shape.channels
                stored += 4 * node.shape.channels
            default:
                break
            }
        }
    }

    var description: String { "\(trainable) trainable, \(stored) stored" }
}
