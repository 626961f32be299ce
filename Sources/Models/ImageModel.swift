import CNN
import Imaging

/// A planned image network with everything needed to use it: its labels, the preprocessing it
/// was trained with, and which output is its embedding.
///
/// The network has one input `[N, S, S, 3]` (S = `preprocessing.cropSize`) and the outputs
/// `"logits"` and `"probabilities"` `[N, 1, 1, classes]` (softmax of the logits) and the
/// embedding output `[N, 1, 1, embeddingDimension]` (`"features"`, the pooled 1280 values, for
/// EfficientNet-Lite; `"embedding"`, the 512-unit ReLU layer of the head, for MobileNetV2).
/// `embedding(_:)` returns that output divided by its L2 norm.
///
/// Immutable and `Sendable`: share one model between tasks. Each call borrows a workspace of its
/// own from `workspaces`, so calls may run concurrently; a batch call runs one forward pass for
/// all images.
public struct ImageModel: Sendable {
    /// The output names every built-in graph uses.
    public enum OutputName {
        public static let features = "features"
        public static let embedding = "embedding"
        public static let logits = "logits"
        public static let probabilities = "probabilities"
    }

    /// A short identifier, e.g. `efficientnet-lite0`.
    public let name: String
    /// The planned network. Public for the benchmarks only: callers use `classify`, `embedding`
    /// and `run`, which borrow workspaces from the pool.
    @_spi(Benchmarks) public let network: Network
    /// Label of class `i` at index `i`; as many as the network has logits.
    public let labels: [String]
    /// The contract an `Image` goes through to become the network's input.
    public let preprocessing: Preprocessing
    /// The network output whose normalised value is the embedding.
    public let embeddingOutput: String
    /// Length of an embedding.
    public let embeddingDimension: Int
    /// The fingerprint of the weights file the network was planned from
    /// (`SafeTensorsFile.fingerprint`), when it came from one: what a head trained on this
    /// model's embeddings records, so that it is never used over another backbone.
    public let weightsFingerprint: String?
    /// The workspaces the calls borrow (kept between calls; one per concurrent caller).
    @_spi(Benchmarks) public let workspaces: WorkspacePool

    public var classCount: Int { labels.count }

    /// Where the folded and packed parameters live: planned in private memory, or mapped from a
    /// shared prepared-parameters file (`PreparedParameterCache`).
    public var preparedParameters: PreparedParameterStatus { network.preparedParameters }

    /// Bytes of prepared parameters shared through a file mapping and in private memory.
    public var preparedParameterBytes: (shared: Int, private: Int) { network.preparedParameterBytes }

    /// Assembles a model, checking that the network has the outputs named above, as many logits
    /// as labels, and an input of `cropSize × cropSize × 3`.
    public init(
        name: String, network: Network, labels: [String], preprocessing: Preprocessing, embeddingOutput: String,
        weightsFingerprint: String? = nil
    ) throws(ModelError) {
        guard network.graph.inputs.count == 1 else {
            throw ModelError(.invalidConfiguration, "Model '\(name)' needs a network with one image input; it has \(network.graph.inputs.count).")
        }
        let input = network.graph.shape(of: network.graph.inputs[0])
        guard input.height == preprocessing.cropSize, input.width == preprocessing.cropSize, input.channels == 3 else {
            throw ModelError(
                .invalidConfiguration,
                "Model '\(name)': the network's input is \(input.height)×\(input.width)×\(input.channels) but the preprocessing produces \(preprocessing.cropSize)×\(preprocessing.cropSize)×3; make them agree.")
        }
        for output in [OutputName.logits, OutputName.probabilities, embeddingOutput] where network.outputShape(output) == nil {
            throw ModelError(
                .invalidConfiguration,
                "Model '\(name)': the network has no output '\(output)' (its outputs are \(network.outputNames)); mark it with `graph.output(_:as:)`.")
        }
        let classes = network.outputShape(OutputName.logits)!.elementsPerSample
        guard labels.count == classes else {
            throw ModelError(
                .invalidLabels,
                "Model '\(name)' has \(classes) classes but \(labels.count) labels were given; give one label per class, in logit order.")
        }
        self.name = name
        self.network = network
        self.labels = labels
        self.preprocessing = preprocessing
        self.embeddingOutput = embeddingOutput
        self.weightsFingerprint = weightsFingerprint
        self.embeddingDimension = network.outputShape(embeddingOutput)!.elementsPerSample
        self.workspaces = WorkspacePool(network: network)
    }
}
