/// Softmax over the channel axis, per pixel: `exp(x − max) / Σ exp(x − max)`.
struct SoftmaxKernel: Kernel {
    let pixelsPerSample: Int
    let channels: Int

    func run(batch: Int, _ io: KernelIO) {
        let input = io.input(0)
        let output = io.output
        for r in 0..<(batch &* pixelsPerSample) {
            let src = input + r &* channels
            let dst = output + r &* channels
            var maximum = -Float.infinity
            for c in 0..<channels { maximum = max(maximum, src[c]) }
            var sum: Float = 0
            for c in 0..<channels {
                let e = _exp(src[c] - maximum)
                dst[c] = e
                sum += e
            }
            let inverse = 1 / sum
            for c in 0..<channels { dst[c] *= inverse }
        }
    }
}

/// Element-wise sum of two or more inputs, activation fused.
struct AddKernel: Kernel {
    let elementsPerSample: Int
    let inputCount: Int
    let activation: Activation

    func run(batch: Int, _ io: KernelIO) {
        let count = batch &* elementsPerSample
        let output = io.output
        let first = io.input(0)
        let second = io.input(1)
        for i in 0..<count { output[i] = first[i] + second[i] }
        for k in 2..<max(inputCount, 2) {
            let next = io.input(k)
            for i in 0..<count { output[i] += next[i] }
        }
        Epilogue(bias: nil, activation: activation).apply(output, rows: 1, columns: count, rowStride: count)
    }
}

/// Concatenation along channels.
struct ConcatKernel: Kernel {
    let pixelsPerSample: Int
    let inputChannels: [Int]

    func run(batch: Int, _ io: KernelIO) {
        let total = inputChannels.reduce(0, +)
        let output = io.output
        var offset = 0
        for (k, channels) in inputChannels.enumerated() {
            let input = io.input(k)
            for r in 0..<(batch &* pixelsPerSample) {
                (output + (r &* total &+ offset)).update(from: input + r &* channels, count: channels)
            }
            offset &+= channels
        }
    }
}
