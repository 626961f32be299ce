import CNN
import Imaging
import Models

/// Adversarial-input detection by feature squeezing (Xu, Evans & Qi, NDSS 2018).
///
/// The model runs on its 8-bit input `x` (the resized, cropped RGB8 view) and on each squeezed
/// version `sᵢ(x)`, all in one batch `[x, s₁(x), …, sₖ(x)]`. With `p(·)` the softmax vector,
/// `score(x) = maxᵢ Σ_c |p_c(x) − p_c(sᵢ(x))|` (L1 distance, 0…2, summed in Double). A natural
/// photo barely changes its prediction under squeezing; a small-ε adversarial perturbation,
/// tuned to the exact pixel values, mostly does not survive it. `x` is suspected when
/// `score > threshold`.
///
/// Defaults: squeezers bit depth 5 and a 2×2 median (the ImageNet choice of the paper), and the
/// threshold calibrated on clean photos at a 5 % false-positive rate (`Docs/Adversarial.md`).
/// Cost: one extra forward pass per squeezer in the same batch, so 3× the inference work.
public struct FeatureSqueezingDetector: Sendable, Equatable {
    public static let defaultSqueezers: [FeatureSqueezer] = [.bitDepth(5), .median(2)]
    /// The 95th percentile of the scores of the 100 clean calibration crops (0.56446,
    /// rounded up; Docs/Adversarial.md): 5 of them score higher.
    public static let defaultThreshold: Float = 0.5645

    public var squeezers: [FeatureSqueezer]
    public var threshold: Float

    public init(squeezers: [FeatureSqueezer] = Self.defaultSqueezers, threshold: Float = Self.defaultThreshold) {
        precondition(!squeezers.isEmpty, "feature squeezing needs at least one squeezer")
        self.squeezers = squeezers
        self.threshold = threshold
    }

    /// Forward-pass rows per image: the image and its squeezed versions.
    public var rowsPerImage: Int { 1 + squeezers.count }

    /// The normalised inputs of `view`'s squeezed versions, one per squeezer, in order
    /// (`preprocessing.elementCount` floats each, NHWC). `view` is `cropSize × cropSize`.
    public func squeezedInputs(of view: Image, preprocessing: Preprocessing) -> [[Float]] {
        squeezers.map { squeezer in
            var buffer = [Float](repeating: 0, count: preprocessing.elementCount)
            preprocessing.normalize(squeezer.squeezed(view), into: &buffer, at: 0)
            return buffer
        }
    }

    /// The score of one image from the probability rows of `batch(for:)`, in that order
    /// (`rowsPerImage` rows).
    public func score(_ rows: ArraySlice<[Float]>) -> Float {
        precondition(rows.count == rowsPerImage, "expected \(rowsPerImage) probability rows, got \(rows.count)")
        let original = rows[rows.startIndex]
        let distances = rows.dropFirst().map { squeezed in
            zip(original, squeezed).reduce(0.0) { $0 + abs(Double($1.0) - Double($1.1)) }
        }
        return Float(distances.max()!)
    }

    public func isSuspected(score: Float) -> Bool { score > threshold }

    /// The score of each of `views` (model-input crops, `cropSize × cropSize`) and the
    /// probabilities of the unsqueezed view, from one forward pass over all of them.
    public func scores(of views: [Image], model: ImageModel) throws(ModelError) -> [(score: Float, probabilities: [Float])] {
        let preprocessing = model.preprocessing
        var scalars: [Float] = []
        scalars.reserveCapacity(views.count * rowsPerImage * preprocessing.elementCount)
        for view in views {
            var input = [Float](repeating: 0, count: preprocessing.elementCount)
            preprocessing.normalize(view, into: &input, at: 0)
            scalars += input
            for squeezed in squeezedInputs(of: view, preprocessing: preprocessing) { scalars += squeezed }
        }
        let size = preprocessing.cropSize
        let tensor: Tensor
        do {
            tensor = try Tensor(shape: Shape(batch: views.count * rowsPerImage, height: size, width: size, channels: 3), scalars: scalars)
        } catch {
            throw ModelError(.invalidInput, error.message, underlying: error)
        }
        let outputs = try model.run(tensor)
        return views.indices.map { index in
            let first = index * rowsPerImage
            let rows = outputs.probabilities[first..<(first + rowsPerImage)]
            return (score(rows), rows[first])
        }
    }
}
