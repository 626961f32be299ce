/// A dense layer as one GEMM `[N, in] × [in, units]`, bias and activation fused.
struct DenseKernel: Kernel {
    let inputs: Int
    let units: Int
    /// `[inputs, units]`, owned or viewed in a prepared-parameters file.
    let weights: ParameterStorage
    let epilogue: Epilogue

    func multiplyAdds(batch: Int) -> Int { batch * inputs * units }

    init(inputs: Int, units: Int, weights: ParameterStorage, epilogue: Epilogue) {
        self.inputs = inputs
        self.units = units
        self.weights = weights
        self.epilogue = epilogue
    }

    /// With the weights and bias of an earlier plan.
    init(inputs: Int, units: Int, activation: Activation, reading reader: PreparedParameterReader) throws(PreparedParameterFile.Rejection) {
        self.init(
            inputs: inputs, units: units, weights: try reader.storage("weights", count: inputs * units),
            epilogue: Epilogue(bias: try reader.optionalValues("bias", count: units), activation: activation))
    }

    var preparedParameters: [PreparedParameter] {
        [PreparedParameter("weights", weights)] + (epilogue.bias.map { [PreparedParameter("bias", ParameterStorage($0))] } ?? [])
    }

    func run(batch: Int, _ io: KernelIO) {
        weights.withUnsafeBufferPointer { w in
            if batch == 1 {
                BLAS.sgemvTransposed(k: inputs, n: units, a: w.baseAddress!, lda: units, x: io.input(0), y: io.output)
            } else {
                BLAS.sgemm(m: batch, n: units, k: inputs, a: io.input(0), lda: inputs, b: w.baseAddress!, ldb: units, c: io.output, ldc: units)
            }
        }
        epilogue.apply(io.output, rows: batch, columns: units, rowStride: units)
    }
}

/// The naive dense layer, accumulated in Double.
struct DenseReferenceKernel: Kernel {
    let inputs: Int
    let units: Int
    let weights: [Float]
    let epilogue: Epilogue

    func multiplyAdds(batch: Int) -> Int { batch * inputs * units }

    func run(batch: Int, _ io: KernelIO) {
        let input = io.input(0)
        let output = io.output
        for n in 0..<batch {
            for o in 0..<units {
                var sum = 0.0
                for i in 0..<inputs { sum += Double(input[n * inputs + i]) * Double(weights[i * units + o]) }
                output[n * units + o] = Float(sum)
            }
        }
        epilogue.apply(output, rows: batch, columns: units, rowStride: units)
    }
}
