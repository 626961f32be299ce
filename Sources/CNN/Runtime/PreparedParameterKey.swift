/// Everything the prepared parameters of a plan depend on, as text: two plans with equal keys
/// compute bit-identical prepared parameters.
///
/// ```
/// planner 1
/// weights <ContentDigest of the whole weights file> <byte count>
/// prefix <tensor-name prefix>
/// name <model name>
/// graph <ContentDigest of every node: name, operation, inputs, shape, parameter tensor names; and the outputs>
/// plan fold=<Bool> fuse=<Bool> pointwise=<packed|blas>
/// ```
///
/// The 1×1 layout is the resolved one (`.automatic` → `KernelCalibration.pointwise`): packed
/// panels for `simd` (the same bytes for every vector width and multiply-add, which are chosen
/// per process when binding), HWIO weights for `blas`. Bump `plannerVersion` whenever folding,
/// packing or the parameter roles change.
struct PreparedParameterKey: Sendable {
    static let plannerVersion = 2

    let text: String

    init(weights: SafeTensorsFile, prefix: String, name: String, graph: Graph, naming: ParameterNaming, options: PlanOptions) {
        let resolved = options.pointwise == .automatic ? KernelCalibration.pointwise : options.pointwise
        var graphText = ""
        for node in graph.nodes {
            graphText += "\(node.name)|\(node.inputs.map(\.index))|\(node.shape)"
            if let operation = node.operation {
                graphText += "|\(operation)|" + ParameterRole.allCases.map { naming.name(node.name, operation, $0) }.joined(separator: ",")
            }
            graphText += "\n"
        }
        graphText += graph.outputs.map { "\($0.name)=\($0.node.index)" }.joined(separator: ",")
        text = """
            planner \(Self.plannerVersion)
            weights \(weights.contentDigest) \(weights.byteCount)
            prefix \(prefix)
            name \(name)
            graph \(ContentDigest(graphText))
            plan fold=\(options.foldBatchNorm) fuse=\(options.fuseActivations) pointwise=\(resolved == .blas ? "blas" : "packed")
            """
    }

    /// Digest of `text`, for the file name.
    var digest: String { ContentDigest(text).description }
}
