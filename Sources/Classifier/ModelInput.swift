/// An image ready for the model: its normalised input (`cropSize² · 3` floats, NHWC, see
/// `Preprocessing`), the normalised inputs of its squeezed versions when adversarial detection
/// is on (one per squeezer of the `FeatureSqueezingDetector`, else none), and what the quality
/// checks measured.
public struct ModelInput: Sendable {
    public let upload: ValidatedUpload
    public let input: [Float]
    public let squeezedInputs: [[Float]]
    public let quality: QualityReport
}
