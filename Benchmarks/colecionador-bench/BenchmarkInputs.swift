import CNN
import Models

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
