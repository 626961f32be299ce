import CNN
import Imaging
import Models
import Tracing

/// Bytes in, classification out: validate → decode → quality checks → preprocess → infer (one
/// forward pass for a whole batch, which yields both the class probabilities and the embedding).
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
    public func prepare(_ upload: ValidatedUpload, for version: ModelVersion, timings: inout StageTimings) throws(ClassifierError) -> PreparedImage {
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
        let input = try Self.stage("preprocess", &timings) { () throws(ClassifierError) in
            var buffer = [Float](repeating: 0, count: preprocessing.elementCount)
            preprocessing.normalize(modelView, into: &buffer, at: 0)
            return buffer
        }
        return PreparedImage(upload: upload, input: input, quality: report)
    }

    /// Stage `infer`: one forward pass over all `images`, in order.
    public func infer(_ images: [PreparedImage], version: ModelVersion, timings: inout StageTimings) throws(ClassifierError) -> [Classification] {
        guard !images.isEmpty else { return [] }
        let model = version.model
        let size = model.preprocessing.cropSize
        let threshold = configuration.acceptanceThreshold
        let top = configuration.topK
        return try Self.stage("infer", &timings) { () throws(ClassifierError) in
            let outputs: ModelOutputs
            do {
                let tensor = try Tensor(
                    shape: Shape(batch: images.count, height: size, width: size, channels: 3),
                    scalars: images.flatMap(\.input))
                outputs = try model.run(tensor)
            } catch let error as ModelError {
                throw ClassifierError(model: error, version: version.id)
            } catch {
                throw ClassifierError(.inferenceFailed, "Model version '\(version.id)' could not build its input: \(error)")
            }
            let embeddings = outputs.embeddings
            return (0..<outputs.batch).map { sample in
                let topK = outputs.top(top, of: sample, labels: model.labels)
                return Classification(
                    label: topK[0].label, confidence: topK[0].confidence, accepted: topK[0].confidence >= threshold,
                    topK: topK, embedding: embeddings[sample], modelVersion: version.id)
            }
        }
    }

    /// All stages for one image.
    public func classify(_ bytes: [UInt8], version: ModelVersion, timings: inout StageTimings) throws(ClassifierError) -> Classification {
        let upload = try validate(bytes, timings: &timings)
        let prepared = try prepare(upload, for: version, timings: &timings)
        return try infer([prepared], version: version, timings: &timings)[0]
    }

    static func decode(_ bytes: [UInt8], minimumShortSide: Int, limits: DecodingLimits) throws(ClassifierError) -> Image {
        do {
            return try Image(decoding: bytes, minimumShortSide: minimumShortSide, limits: limits)
        } catch {
            throw ClassifierError(decoding: error)
        }
    }

    /// Runs `body` as stage `name`: timed, inside a span that records a failure.
    static func stage<T>(_ name: String, _ timings: inout StageTimings, _ body: () throws(ClassifierError) -> T) throws(ClassifierError) -> T {
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
