/// A standalone activation (one that had no producer to fuse into), element by element.
struct ActivationKernel: Kernel {
    let activation: Activation
    let elementsPerSample: Int

    func run(batch: Int, _ io: KernelIO) {
        let count = batch &* elementsPerSample
        let input = io.input(0)
        let output = io.output
        if input != UnsafePointer(output) { output.update(from: input, count: count) }
        Epilogue(bias: nil, activation: activation).apply(output, rows: 1, columns: count, rowStride: count)
    }
}
