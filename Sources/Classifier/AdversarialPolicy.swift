/// What the pipeline does about possibly adversarial inputs (`FeatureSqueezingDetector`).
///
/// - `off` (default): no detection, no extra cost, no `adversarial_*` fields in answers;
/// - `warn`: every classification carries its squeezing score, and the answer says whether the
///   score exceeds the threshold (`adversarial_suspected`);
/// - `reject`: as `warn`, and a suspected image fails with `adversarial_suspected` (HTTP 422).
///
/// `off` is the default because detection triples the inference work (two squeezed copies
/// in every forward pass), flags 5–10 % of clean photos at the calibrated threshold, and
/// catches only part of the attacks measured (Docs/Adversarial.md: FGSM 38–52 %, PGD 28 %).
/// JSON: `{"mode": "warn", "threshold": 0.5645}` (both optional).
public struct AdversarialPolicy: Sendable, Equatable, Codable {
    public enum Mode: String, Sendable, Codable, CaseIterable {
        case off, warn, reject
    }

    public var mode: Mode
    public var detector: FeatureSqueezingDetector

    public init(mode: Mode = .off, detector: FeatureSqueezingDetector = FeatureSqueezingDetector()) {
        self.mode = mode
        self.detector = detector
    }

    /// Whether images are scored (`warn` or `reject`).
    public var isEnabled: Bool { mode != .off }

    /// Throws `adversarial_suspected` for a scored, suspected classification in `reject` mode.
    public func screen(_ classification: Classification) throws(ClassifierError) {
        guard mode == .reject, let score = classification.adversarialScore, detector.isSuspected(score: score) else { return }
        throw ClassifierError(
            .adversarialSuspected,
            "The image looks adversarially perturbed: its prediction moves by \(score) (L1 of the probabilities, threshold \(detector.threshold)) when its pixels are squeezed (bit depth, median). Send the original photo, not a re-encoded or processed copy.")
    }

    enum CodingKeys: String, CodingKey { case mode, threshold }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = AdversarialPolicy()
        let threshold = try container.decodeIfPresent(Float.self, forKey: .threshold) ?? defaults.detector.threshold
        guard threshold >= 0, threshold <= 2 else {
            throw DecodingError.dataCorruptedError(
                forKey: .threshold, in: container,
                debugDescription: "adversarial.threshold must be between 0 and 2 (an L1 distance of probability vectors); got \(threshold).")
        }
        self.init(
            mode: try container.decodeIfPresent(Mode.self, forKey: .mode) ?? defaults.mode,
            detector: FeatureSqueezingDetector(threshold: threshold))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(mode, forKey: .mode)
        try container.encode(detector.threshold, forKey: .threshold)
    }
}
