/// A planned, immutable network: kernels chosen, weights read strictly and packed, BatchNorm
/// folded, activations fused, buffers laid out in one arena. `Sendable`: share one `Network`
/// between tasks and give each task its own `Workspace`.
///
/// ```swift
/// let network = try Network(graph: graph, weights: SafeTensorsFile(contentsOf: path))
/// let workspace = network.makeWorkspace(maxBatch: 8)
/// try network.run(input, in: workspace)              // allocates nothing
/// let logits = try workspace.output("logits")
/// ```
public struct Network: Sendable {
    public let graph: Graph
    public let options: PlanOptions
    /// Where the folded and packed parameters live: private memory, or a shared file mapping
    /// (`init(graph:weights:prefix:naming:options:preparedIn:name:)`).
    public let preparedParameters: PreparedParameterStatus
    let plan: Plan

    /// The result of planning, shared by the network and its workspaces.
    final class Plan: Sendable {
        let steps: [Step]
        let slotShapes: [Shape]
        let inputSlots: [Int]
        let outputSlots: [(name: String, slot: Int, shape: Shape)]
        let buffers: BufferPlan

        init(_ result: NetworkPlanner.Result) {
            steps = result.steps
            slotShapes = result.slotShapes
            inputSlots = result.inputSlots
            outputSlots = result.outputSlots
            buffers = result.buffers
        }

        func scratchCount(batch: Int) -> Int {
            steps.reduce(0) { max($0, $1.kernel.scratchCount(batch: batch)) }
        }
    }

    /// Plans `graph` with the parameters in `weights`.
    ///
    /// Every parameter the graph needs must be present with the exact shape, and every tensor under
    /// `prefix` must be used: a missing, extra, misshapen or non-finite tensor is an
    /// `.invalidWeights` error naming it.
    /// - Parameters:
    ///   - prefix: a prefix of every tensor name in the file, e.g. `"model/"`.
    ///   - naming: how node names and parameter roles map to tensor names.
    public init(
        graph: Graph, weights: SafeTensorsFile, prefix: String = "", naming: ParameterNaming = .dotted,
        options: PlanOptions = PlanOptions()
    ) throws(CNNError) {
        var planner = NetworkPlanner(
            graph: graph, weights: WeightReader(weights, prefix: prefix), naming: naming, options: options)
        self.init(graph: graph, options: options, plan: Plan(try planner.plan()), preparedParameters: .planned)
    }

    init(graph: Graph, options: PlanOptions, plan: Plan, preparedParameters: PreparedParameterStatus) {
        // OpenBLAS on one thread before anything runs (`ComputeBudget`).
        BLAS.useOneThread()
        self.graph = graph
        self.options = options
        self.plan = plan
        self.preparedParameters = preparedParameters
    }

    /// Names of the outputs, in the order they were marked.
    public var outputNames: [String] { plan.outputSlots.map(\.name) }

    /// Per-sample shape of an output.
    public func outputShape(_ name: String) -> Shape? {
        plan.outputSlots.first { $0.name == name }?.shape
    }

    /// The number of kernel invocations per run (after folding and fusion).
    public var stepCount: Int { plan.steps.count }

    /// Names of the planned steps and the kernel each uses, for inspection and benchmarks.
    public var stepDescriptions: [(name: String, kernel: String)] {
        plan.steps.map { ($0.name, String(describing: type(of: $0.kernel))) }
    }

    /// Workspace floats for a batch run as one group: the arena, the outputs, and the largest
    /// scratch any kernel needs.
    public func workspaceSize(batch: Int) -> Int {
        (plan.buffers.arenaSizePerSample + plan.buffers.outputSizePerSample) * batch + plan.scratchCount(batch: batch)
    }

    /// A workspace for batches of up to `maxBatch` samples. Allocate it once per concurrent caller.
    /// - Parameter groupSize: samples run through the network together (see `Workspace`); by
    ///   default as many as keep the activations within `Workspace.groupArenaBudget` floats.
    public func makeWorkspace(maxBatch: Int = 1, groupSize: Int? = nil) -> Workspace {
        Workspace(plan: plan, maxBatch: max(1, maxBatch), groupSize: groupSize)
    }

    /// Runs the network on a single-input graph. Outputs stay in `workspace` until its next run.
    /// - Parameter threads: threads each heavy layer may split its work across (1×1, direct and
    ///   depthwise convolutions; `KernelParallelism`). More than 1 lowers the latency of a small
    ///   batch when cores are idle; leave it at 1 when runs already go on in parallel
    ///   (`ComputeBudget.layerThreads(running:)` shares the cores out). Outputs are the same for
    ///   any value: every output element of a split layer is computed by one thread, in the same
    ///   order.
    public func run(_ input: Tensor, in workspace: Workspace, threads: Int = 1) throws(CNNError) {
        try validate(workspace, batch: input.shape.batch, inputCount: 1)
        try validate(input, slot: plan.inputSlots[0], index: 0, batch: input.shape.batch)
        guard threads >= 1 else {
            throw CNNError(.invalidInput, "threads must be at least 1 (got \(threads)).")
        }
        workspace.execute(plan: plan, input: input, batch: input.shape.batch, threads: threads)
    }

    /// Runs the samples `samples` of `input` (a single-input network), reading them in place.
    func run(_ input: Tensor, samples: Range<Int>, in workspace: Workspace) throws(CNNError) {
        let slot = plan.inputSlots[0]
        guard input.shape.withBatch(1) == plan.slotShapes[slot], samples.lowerBound >= 0,
            samples.upperBound <= input.shape.batch, !samples.isEmpty
        else {
            throw CNNError(.invalidInput, "Expected samples of shape \(plan.slotShapes[slot]) and a range inside the batch of \(input.shape.batch).")
        }
        try validate(workspace, batch: samples.count, inputCount: 1)
        workspace.execute(plan: plan, input: input, sampleOffset: samples.lowerBound, batch: samples.count)
    }

    /// Runs the network; `inputs` are in the order the graph declared them, all with one batch size.
    public func run(_ inputs: [Tensor], in workspace: Workspace) throws(CNNError) {
        let batch = inputs.first?.shape.batch ?? 0
        try validate(workspace, batch: batch, inputCount: inputs.count)
        for index in 0..<inputs.count {
            try validate(inputs[index], slot: plan.inputSlots[index], index: index, batch: batch)
        }
        workspace.execute(plan: plan, inputs: inputs, batch: batch)
    }

    private func validate(_ workspace: Workspace, batch: Int, inputCount: Int) throws(CNNError) {
        guard workspace.plan === plan else {
            throw CNNError(.invalidInput, "This workspace was made by another network; use `network.makeWorkspace(maxBatch:)` of the network you run.")
        }
        guard inputCount == plan.inputSlots.count else {
            throw CNNError(.invalidInput, "The network has \(plan.inputSlots.count) input(s) but \(inputCount) tensor(s) were given.")
        }
        guard batch <= workspace.maxBatch else {
            throw CNNError(.invalidInput, "Batch \(batch) exceeds the workspace's maximum of \(workspace.maxBatch); make a workspace with `makeWorkspace(maxBatch: \(batch))` or split the batch.")
        }
    }

    private func validate(_ tensor: Tensor, slot: Int, index: Int, batch: Int) throws(CNNError) {
        let expected = plan.slotShapes[slot].withBatch(batch)
        guard tensor.shape == expected else {
            throw CNNError(.invalidInput, layer: graph.node(graph.inputs[index]).name, "Expected an input of shape \(expected) (NHWC), got \(tensor.shape).")
        }
    }
}
