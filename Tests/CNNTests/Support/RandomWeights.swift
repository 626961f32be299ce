import CNN

/// Random parameters for every node of a graph, named with `ParameterNaming.dotted`, scaled by
/// 1/sqrt(fan-in) so activations stay O(1); BatchNorm statistics are non-trivial.
enum RandomWeights {
    static func file(for graph: Graph, using rng: inout SeededGenerator) throws -> SafeTensorsFile {
        var writer = SafeTensorsWriter()
        for node in graph.nodes {
            guard let operation = node.operation else { continue }
            let inputShape = node.inputs.first.map { graph.shape(of: $0) }
            switch operation {
            case .conv2d(let conv):
                let cin = inputShape!.channels / conv.groups
                let fanIn = Float(conv.kernel.height * conv.kernel.width * cin)
                let scale = 1 / fanIn.squareRoot()
                let shape = [conv.kernel.height, conv.kernel.width, cin, conv.outputChannels]
                writer.add("\(node.name).weight", shape: shape, scalars: rng.floats(shape.reduce(1, *), in: -scale...scale))
                if conv.hasBias { writer.add("\(node.name).bias", shape: [conv.outputChannels], scalars: rng.floats(conv.outputChannels)) }
            case .dense(let dense):
                let inputs = inputShape!.elementsPerSample
                let scale = 1 / Float(inputs).squareRoot()
                writer.add("\(node.name).weight", shape: [inputs, dense.units], scalars: rng.floats(inputs * dense.units, in: -scale...scale))
                if dense.hasBias { writer.add("\(node.name).bias", shape: [dense.units], scalars: rng.floats(dense.units)) }
            case .batchNorm:
                let c = node.shape.channels
                writer.add("\(node.name).gamma", shape: [c], scalars: rng.floats(c, in: 0.5...1.5))
                writer.add("\(node.name).beta", shape: [c], scalars: rng.floats(c))
                writer.add("\(node.name).mean", shape: [c], scalars: rng.floats(c, in: -0.5...0.5))
                writer.add("\(node.name).variance", shape: [c], scalars: rng.floats(c, in: 0.5...2))
            default:
                break
            }
        }
        return try SafeTensorsFile(bytes: try writer.bytes())
    }
}
