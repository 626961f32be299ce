import CNN
import Imaging

extension ImageModel {
    /// The input tensor `[images.count, S, S, 3]` for `images`, each through `preprocessing`.
    public func inputTensor(for images: [Image]) throws(ModelError) -> Tensor {
        guard !images.isEmpty else {
            throw ModelError(.invalidInput, "No images were given; pass at least one.")
        }
        let size = preprocessing.cropSize
        var scalars = [Float](repeating: 0, count: images.count * preprocessing.elementCount)
        for (index, image) in images.enumerated() {
            preprocessing.write(image, into: &scalars, at: index * preprocessing.elementCount)
        }
        do {
            return try Tensor(shape: Shape(batch: images.count, height: size, width: size, channels: 3), scalars: scalars)
        } catch {
            throw ModelError(.invalidInput, error.message, underlying: error)
        }
    }

    /// One forward pass over an already preprocessed batch `[N, S, S, 3]`, its layers split
    /// across `threads` (`Network.run(_:in:threads:)`: more than 1 only when cores are idle).
    public func run(_ input: Tensor, threads: Int = 1) throws(ModelError) -> ModelOutputs {
        do {
            return try workspaces.withWorkspace(maxBatch: input.shape.batch) { workspace throws(CNNError) in
                try network.run(input, in: workspace, threads: threads)
                return ModelOutputs(
                    logits: try rows(of: workspace.output(OutputName.logits)),
                    probabilities: try rows(of: workspace.output(OutputName.probabilities)),
                    rawEmbeddings: try rows(of: workspace.output(embeddingOutput)))
            }
        } catch {
            throw ModelError(
                error.code == .invalidInput ? .invalidInput : .invalidConfiguration,
                "Model '\(name)' could not run on an input of shape \(input.shape): \(error.message)", underlying: error)
        }
    }

    /// One forward pass over `images` (preprocessed as one batch).
    public func run(images: [Image]) throws(ModelError) -> ModelOutputs {
        try run(inputTensor(for: images))
    }

    /// The `top` most probable classes of `image`, most probable first.
    public func classify(_ image: Image, top: Int = 5) throws(ModelError) -> [ClassScore] {
        try classify(images: [image], top: top)[0]
    }

    /// The `top` most probable classes of each image, from one batched forward pass.
    public func classify(images: [Image], top: Int = 5) throws(ModelError) -> [[ClassScore]] {
        try classify(preprocessed: inputTensor(for: images), top: top)
    }

    /// The `top` most probable classes of each sample of a preprocessed batch `[N, S, S, 3]`.
    public func classify(preprocessed input: Tensor, top: Int = 5) throws(ModelError) -> [[ClassScore]] {
        let outputs = try run(input)
        return (0..<outputs.batch).map { outputs.top(top, of: $0, labels: labels) }
    }

    /// The L2-normalised embedding of `image` (`embeddingDimension` values).
    public func embedding(_ image: Image) throws(ModelError) -> [Float] {
        try embeddings(images: [image])[0]
    }

    /// The L2-normalised embedding of each image, from one batched forward pass.
    public func embeddings(images: [Image]) throws(ModelError) -> [[Float]] {
        try embeddings(preprocessed: inputTensor(for: images))
    }

    /// The L2-normalised embedding of each sample of a preprocessed batch `[N, S, S, 3]`.
    public func embeddings(preprocessed input: Tensor) throws(ModelError) -> [[Float]] {
        try run(input).embeddings
    }

    private func rows(of tensor: Tensor) -> [[Float]] {
        (0..<tensor.shape.batch).map { Array(tensor.sample($0)) }
    }
}
