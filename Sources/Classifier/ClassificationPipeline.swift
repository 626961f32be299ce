import CNN
import Imaging
import Models
import Tracing

/// Bytes in, classification out: validate → decode → quality checks → preprocess → infer (one
/// forward pass for a whole batch, which yields both the class probabilities and the embedding).
/// With an adversarial policy other than `off`, preprocessing also squeezes each image's 8-bit
/// model input and the same forward pass runs the squeezed copies (`FeatureSqueezingDetector`);
/// the classification then carries its score, and `screen(_:)` applies the policy.
///
/// Each stage is timed into a `StageTimings` and wrapped in a tracing span named
/// `classifier.<stage>`. The stages are public so that a caller can put its cache lookup
/// between validation (which yields the SHA-256) and decoding. Stateless and `Sendable`; every
/// call is synchronous CPU work — run it off the cooperative thread pool.
public struct ClassificationPipeline: Sendable {
    public let configuration: PipelineConfiguration

    public init(configuration: PipelineConfiguration = PipelineConfiguration()) {
        self.configuration = configuration
    }

    /// Stage `validate`: emptiness, byte limit, magic bytes, SHA-256.
    public func validate(_ bytes: [UInt8], timings: inout StageTimings) throws(ClassifierError) -> ValidatedUpload {
        try Self.stage("validate", &timings) { () throws(ClassifierError) in
            try UploadValidator(maxBytes: configuration.maxBytes).validate(bytes)
        }
    }

    /// Stages `decode`, `quality` and `preprocess` for `version`'s model.
    ///
    /// The JPEG decoder may reduce the image in the DCT domain as long as, after the central
    /// crop, the short side still reaches the model's resize target (so the model never sees
    /// an upscaled image because of it).
    public func preprocess(_ upload: ValidatedUpload, for version: ModelVersion, timings: inout StageTimings) throws(ClassifierError) -> ModelInput {
        let preprocessing = version.model.preprocessing
        let policy = configuration.quality
        let limits = DecodingLimits(maxInputBytes: configuration.maxBytes, maxPixels: configuration.maxPixels)
        let minimumShortSide = Int((Double(preprocessing.resizeShortSide) / policy.centralCropFraction).rounded(.up))
        let decoded = try Self.stage("decode", &timings) { () throws(ClassifierError) in
            try Self.decode(upload.bytes, minimumShortSide: minimumShortSide, limits: limits)
        }
        let modelView = try Self.stage("preprocess", &timings) { () throws(ClassifierError) in
            preprocessing.resizedAndCropped(policy.framed(decoded))
        }
        let report = try Self.stage("quality", &timings) { () throws(ClassifierError) in
            try policy.check(decoded: decoded, modelView: modelView)
        }
        let adversarial = configuration.adversarial
        let (input, squeezedInputs) = try Self.stage("preprocess", &timings) { () throws(ClassifierError) in
            var buffer = [Float](repeating: 0, count: preprocessing.elementCount)
            preprocessing.normalize(modelView, into: &buffer, at: 0)
            let squeezed = adversarial.isEnabled ? adversarial.detector.squeezedInputs(of: modelView, preprocessing: preprocessing) : []
            return (buffer, squeezed)
        }
        return ModelInput(upload: upload, input: input, squeezedInputs: squeezedInputs, quality: report)
    }

    /// Stage `infer`: one forward pass over all `images`, in order (each followed by its
    /// squeezed copies when adversarial detection is on), its layers split across `threads`.
    public func infer(
        _ images: [ModelInput], version: ModelVersion, timings: inout StageTimings, threads: Int = 1
    ) throws(ClassifierError) -> [Classification] {
        guard !images.isEmpty else { return [] }
        let model = version.model
        let size = model.preprocessing.cropSize
        let threshold = configuration.acceptanceThreshold
        let top = configuration.topK
        let detector = configuration.adversarial.detector
        let rowsPerImage = 1 + images[0].squeezedInputs.count
        precondition(images.allSatisfy { $0.squeezedInputs.count == rowsPerImage - 1 }, "images preprocessed under different adversarial policies")
        return try Self.stage("infer", &timings) { () throws(ClassifierError) in
            let outputs: ModelOutputs
            do {
                let tensor = try Tensor(
                    shape: Shape(batch: images.count * rowsPerImage, height: size, width: size, channels: 3),
                    scalars: images.flatMap { [$0.input] + $0.squeezedInputs }.flatMap { $0 })
                outputs = try model.run(tensor, threads: threads)
            } catch let error as ModelError {
                throw ClassifierError(model: error, version: version.id)
            } catch {
                throw ClassifierError(.inferenceFailed, "Model version '\(version.id)' could not build its input: \(error)")
            }
            let embeddings = outputs.embeddings
            return images.indices.map { image in
                let sample = image * rowsPerImage
                let topK = outputs.top(top, of: sample, labels: model.labels)
                let score = rowsPerImage > 1 ? detector.score(outputs.probabilities[sample..<(sample + rowsPerImage)]) : nil
                return Classification(
                    label: topK[0].label, confidence: topK[0].confidence, accepted: topK[0].confidence >= threshold,
                    topK: topK, embedding: embeddings[sample], modelVersion: version.id,
                    adversarialScore: score)
            }
        }
    }

    /// Applies the adversarial policy to a classification (fresh or cached): in `reject` mode
    /// a suspected image throws `adversarial_suspected`.
    public func screen(_ classification: Classification) throws(ClassifierError) {
        try configuration.adversarial.screen(classification)
    }

    /// All stages for one image, then `screen(_:)`.
    public func classify(_ bytes: [UInt8], version: ModelVersion, timings: inout StageTimings) throws(ClassifierError) -> Classification {
        let upload = try validate(bytes, timings: &timings)
        let input = try preprocess(upload, for: version, timings: &timings)
        let classification = try infer([input], version: version, timings: &timings)[0]
        try screen(classification)
        return classification
    }

    static func decode(_ bytes: [UInt8], minimumShortSide: Int, limits: DecodingLimits) throws(ClassifierError) -> Image {
        do {
            return try Image(decoding: bytes, minimumShortSide: minimumShortSide, limits: limits)
        } catch {
            throw ClassifierError(decoding: error)
        }
    }

    /// Runs `body` as stage `name`: timed into `timings`, inside a span `classifier.<name>`
    /// (a child of the current `ServiceContext`) that records a failure and its `error.code`.
    /// Public for the stages a caller adds around the pipeline's (the service's `search`).
    public static func stage<T>(_ name: String, _ timings: inout StageTimings, _ body: () throws(ClassifierError) -> T) throws(ClassifierError) -> T {
        let span = startSpan("classifier.\(name)")
        defer { span.end() }
        do {
            return try timings.measure(name, body)
        } catch {
            span.recordError(error)
            span.attributes["error.code"] = error.code.rawValue
            throw error
        }
    }
}
