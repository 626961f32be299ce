@_spi(Benchmarks) import CNN
@_spi(Benchmarks) import Models

/// Inputs shared by the benchmark modes and the peers' scripts, so both run on the same tensors.
enum BenchmarkInputs {
    /// The reference fixture's preprocessed chelsea photo (H·W·3 floats), which
    /// `Benchmarks/peers/inference_ort.py` also feeds to ONNX Runtime. Run from the repository root.
    static func preprocessedSample(for model: ImageModel) throws -> [Float] {
        let fixture = "Tests/Fixtures/models/efficientnet_lite0_reference.safetensors"
        let sample = try SafeTensorsFile(contentsOf: fixture).tensor("chelsea/input").scalars
        guard sample.count == model.preprocessing.elementCount else {
            throw BenchmarkError("\(fixture) holds a \(sample.count)-float input; \(model.name) takes \(model.preprocessing.elementCount).")
        }
        return sample
    }
}

struct BenchmarkError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The model's network planned with the requested kernels (`--pointwise`, `--lanes`,
/// `--multiply-add`; "automatic" leaves the choice to the planner).
enum BenchmarkNetwork {
    static func plan(_ model: ImageModel, builtIn: BuiltInModel, pointwise: String, lanes: String, multiplyAdd: String) throws -> Network {
        guard let choice = PlanOptions.PointwiseKernel(rawValue: pointwise) else {
            throw BenchmarkError("--pointwise must be one of \(PlanOptions.PointwiseKernel.allCases.map(\.rawValue)).")
        }
        var options = PlanOptions(pointwise: choice)
        if lanes != "automatic" {
            guard let value = Int(lanes).flatMap(PlanOptions.VectorLanes.init(rawValue:)) else {
                throw BenchmarkError("--lanes must be automatic, 8 or 16.")
            }
            options.vectorLanes = value
        }
        if multiplyAdd != "automatic" {
            guard let value = PlanOptions.MultiplyAdd(rawValue: multiplyAdd) else {
                throw BenchmarkError("--multiply-add must be automatic, fused or separate.")
            }
            options.multiplyAdd = value
        }
        guard options != PlanOptions() else { return model.network }
        guard builtIn == .efficientNetLite0, let file = builtIn.bundledWeightsFile else {
            throw BenchmarkError("--pointwise, --lanes and --multiply-add are available for efficientnet-lite0 only.")
        }
        let weights = try SafeTensorsFile(contentsOf: try ModelCatalog.locate().path(file))
        return try Network(
            graph: model.network.graph, weights: weights, naming: EfficientNetLite.parameterNaming, options: options)
    }

    /// What this build and process run: the instruction sets and the calibrated kernel choices.
    static var summary: String {
        "\(InstructionSet.summary); automatic kernels here: 1×1 \(KernelCalibration.pointwise.rawValue) "
            + "(\(KernelCalibration.pointwiseLanes.rawValue) lanes), depthwise/direct \(KernelCalibration.convolutionLanes.rawValue) lanes"
    }
}
