/// Output shapes of each operation, with errors that name the layer and say what did not fit.
enum ShapeInference {
    static func outputShape(of operation: Operation, inputs: [Shape], layer: String) throws(CNNError) -> Shape {
        func fail(_ code: CNNError.Code, _ message: String) -> CNNError {
            CNNError(code, layer: layer, message)
        }
        func fail(_ message: String) -> CNNError { fail(.shapeMismatch, message) }
        func requireInputs(_ count: ClosedRange<Int>) throws(CNNError) {
            guard count.contains(inputs.count) else {
                throw fail(.invalidGraph, "\(operation.kind) takes \(count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound)…\(count.upperBound)") input(s), got \(inputs.count).")
            }
        }

        switch operation {
        case .conv2d(let conv):
            try requireInputs(1...1)
            let input = inputs[0]
            guard conv.outputChannels >= 1, conv.kernel.height >= 1, conv.kernel.width >= 1,
                conv.stride.y >= 1, conv.stride.x >= 1, conv.dilation.y >= 1, conv.dilation.x >= 1,
                conv.groups >= 1
            else {
                throw fail(.invalidConfiguration, "Kernel, stride, dilation, groups and output channels must all be ≥ 1.")
            }
            guard input.channels % conv.groups == 0, conv.outputChannels % conv.groups == 0 else {
                throw fail("groups = \(conv.groups) must divide both the input channels (\(input.channels)) and the output channels (\(conv.outputChannels)).")
            }
            guard let geometry = conv.geometry(input: input) else {
                throw fail("A \(conv.kernel.height)×\(conv.kernel.width) window (dilation \(conv.dilation.y)×\(conv.dilation.x)) with padding \(conv.padding) does not fit the \(input.height)×\(input.width) input; use a smaller kernel or more padding.")
            }
            return Shape(height: geometry.outputHeight, width: geometry.outputWidth, channels: conv.outputChannels)

        case .batchNorm(let bn):
            try requireInputs(1...1)
            guard bn.epsilon >= 0, bn.epsilon.isFinite else {
                throw fail(.invalidConfiguration, "epsilon must be a finite value ≥ 0, got \(bn.epsilon).")
            }
            return inputs[0]

        case .activation, .dropout:
            try requireInputs(1...1)
            return inputs[0]

        case .maxPool(let pool), .avgPool(let pool):
            try requireInputs(1...1)
            guard pool.kernel.height >= 1, pool.kernel.width >= 1, pool.stride.y >= 1, pool.stride.x >= 1 else {
                throw fail(.invalidConfiguration, "Pool kernel and stride must be ≥ 1.")
            }
            guard let geometry = pool.geometry(input: inputs[0]) else {
                throw fail("A \(pool.kernel.height)×\(pool.kernel.width) pool with padding \(pool.padding) does not fit the \(inputs[0].height)×\(inputs[0].width) input.")
            }
            if case .explicit(let t, let l, let b, let r) = pool.padding,
                t >= pool.kernel.height || b >= pool.kernel.height || l >= pool.kernel.width || r >= pool.kernel.width
            {
                throw fail(.invalidConfiguration, "Pool padding (\(t), \(l), \(b), \(r)) must be smaller than the kernel, or a window could hold only padding.")
            }
            return Shape(height: geometry.outputHeight, width: geometry.outputWidth, channels: inputs[0].channels)

        case .globalAvgPool:
            try requireInputs(1...1)
            return .vector(inputs[0].channels)

        case .dense(let dense):
            try requireInputs(1...1)
            guard dense.units >= 1 else { throw fail(.invalidConfiguration, "units must be ≥ 1.") }
            return .vector(dense.units)

        case .softmax:
            try requireInputs(1...1)
            return inputs[0]

        case .add:
            guard inputs.count >= 2 else { throw fail(.invalidGraph, "add takes 2 or more inputs, got \(inputs.count).") }
            for (i, shape) in inputs.enumerated() where shape != inputs[0] {
                throw fail("add needs inputs of one shape; input 0 is \(inputs[0]) but input \(i) is \(shape).")
            }
            return inputs[0]

        case .concat:
            guard inputs.count >= 1 else { throw fail(.invalidGraph, "concat takes 1 or more inputs.") }
            var channels = 0
            for (i, shape) in inputs.enumerated() {
                guard shape.height == inputs[0].height, shape.width == inputs[0].width else {
                    throw fail("concat joins along channels, so heights and widths must match; input 0 is \(inputs[0]) but input \(i) is \(shape).")
                }
                channels += shape.channels
            }
            return Shape(height: inputs[0].height, width: inputs[0].width, channels: channels)

        case .flatten:
            try requireInputs(1...1)
            return .vector(inputs[0].elementsPerSample)

        case .reshape(let h, let w, let c):
            try requireInputs(1...1)
            let target = Shape(height: h, width: w, channels: c)
            guard target.isPositive else { throw fail(.invalidConfiguration, "Reshape target \(target) must be positive.") }
            guard target.elementsPerSample == inputs[0].elementsPerSample else {
                throw fail("Cannot reshape \(inputs[0]) (\(inputs[0].elementsPerSample) elements per sample) to \(target) (\(target.elementsPerSample)).")
            }
            return target
        }
    }
}
