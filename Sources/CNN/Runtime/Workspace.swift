/// The memory one caller runs a `Network` in: one arena for every intermediate value, the
/// kernels' scratch, and the table of buffer addresses. Made once by `Network.makeWorkspace`;
/// a run allocates nothing. Not `Sendable`: each concurrent caller owns one.
public final class Workspace {
    let plan: Network.Plan
    /// The largest batch this workspace can run.
    public let maxBatch: Int
    private let arena: UnsafeMutablePointer<Float>
    private let arenaCount: Int
    private let scratch: UnsafeMutablePointer<Float>
    private let scratchCount: Int
    private let table: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    /// The batch of the last run; 0 before the first.
    public private(set) var batch: Int = 0

    init(plan: Network.Plan, maxBatch: Int) {
        self.plan = plan
        self.maxBatch = maxBatch
        arenaCount = max(1, plan.buffers.arenaSizePerSample * maxBatch)
        arena = .allocate(capacity: arenaCount)
        arena.initialize(repeating: 0, count: arenaCount)
        scratchCount = max(1, plan.scratchCount(batch: maxBatch))
        scratch = .allocate(capacity: scratchCount)
        scratch.initialize(repeating: 0, count: scratchCount)
        table = .allocate(capacity: max(1, plan.slotShapes.count))
        table.initialize(repeating: arena, count: max(1, plan.slotShapes.count))
    }

    deinit {
        arena.deallocate()
        scratch.deallocate()
        table.deallocate()
    }

    /// Bytes this workspace holds.
    public var byteCount: Int { (arenaCount + scratchCount) * MemoryLayout<Float>.stride }

    func execute(plan: Network.Plan, inputs: [Tensor], batch: Int) {
        bind(plan: plan, batch: batch)
        withInputs(inputs, index: 0) { runSteps(plan: plan, batch: batch) }
    }

    /// Points every arena slot at its place for this batch size.
    private func bind(plan: Network.Plan, batch: Int) {
        // Index loops, not iterators: unspecialised (debug) iteration over these arrays allocates.
        let offsets = plan.buffers.offsets
        for slot in 0..<offsets.count {
            if let offset = offsets[slot] { table[slot] = arena + offset * batch }
        }
        self.batch = batch
    }

    func execute(plan: Network.Plan, input: Tensor, sampleOffset: Int = 0, batch: Int) {
        bind(plan: plan, batch: batch)
        input.scalars.withUnsafeBufferPointer { buffer in
            let start = buffer.baseAddress! + sampleOffset * input.shape.elementsPerSample
            table[plan.inputSlots[0]] = UnsafeMutablePointer(mutating: start)
            runSteps(plan: plan, batch: batch)
        }
    }

    /// Runs the steps one by one through `body`, which must call the closure it is given once.
    func executeSteps(plan: Network.Plan, input: Tensor, batch: Int, _ body: (Int, () -> Void) -> Void) throws(CNNError) {
        bind(plan: plan, batch: batch)
        input.scalars.withUnsafeBufferPointer { buffer in
            table[plan.inputSlots[0]] = UnsafeMutablePointer(mutating: buffer.baseAddress!)
            let steps = plan.steps
            for index in 0..<steps.count {
                let step = steps[index]
                body(index) {
                    step.kernel.run(
                        batch: batch,
                        KernelIO(table: table, inputSlots: step.inputSlots, outputSlot: step.outputSlot, scratch: scratch))
                }
            }
        }
    }

    private func runSteps(plan: Network.Plan, batch: Int) {
        let steps = plan.steps
        for index in 0..<steps.count {
            let step = steps[index]
            step.kernel.run(
                batch: batch,
                KernelIO(table: table, inputSlots: step.inputSlots, outputSlot: step.outputSlot, scratch: scratch))
        }
    }

    /// Points the input slots at the callers' tensors for the duration of `body` (kernels only read them).
    private func withInputs(_ inputs: [Tensor], index: Int, _ body: () -> Void) {
        guard index < inputs.count else { return body() }
        inputs[index].scalars.withUnsafeBufferPointer { buffer in
            table[plan.inputSlots[index]] = UnsafeMutablePointer(mutating: buffer.baseAddress!)
            withInputs(inputs, index: index + 1, body)
        }
    }

    private func outputSlot(_ name: String) throws(CNNError) -> (slot: Int, shape: Shape) {
        guard batch > 0 else {
            throw CNNError(.invalidInput, "No output yet: call `network.run(_:in:)` with this workspace first.")
        }
        let outputs = plan.outputSlots
        for index in 0..<outputs.count where outputs[index].name == name {
            return (outputs[index].slot, outputs[index].shape.withBatch(batch))
        }
        throw CNNError(.invalidInput, "No output named '\(name)'; the network's outputs are \(plan.outputSlots.map(\.name)).")
    }

    /// A copy of an output of the last run, `[batch, H, W, C]`.
    public func output(_ name: String) throws(CNNError) -> Tensor {
        let (slot, shape) = try outputSlot(name)
        let values = Array(UnsafeBufferPointer(start: table[slot], count: shape.elementCount))
        return try Tensor(shape: shape, scalars: values)
    }

    /// Copies an output of the last run into `destination` (replacing its contents); allocates
    /// nothing when `destination` already has the capacity.
    public func copyOutput(_ name: String, into destination: inout [Float]) throws(CNNError) {
        let (slot, shape) = try outputSlot(name)
        let count = shape.elementCount
        destination.removeAll(keepingCapacity: true)
        destination.append(contentsOf: UnsafeBufferPointer(start: table[slot], count: count))
    }

    /// Appends an output of the last run to `destination`.
    func appendOutput(_ name: String, to destination: inout [Float]) throws(CNNError) {
        let (slot, shape) = try outputSlot(name)
        destination.append(contentsOf: UnsafeBufferPointer(start: table[slot], count: shape.elementCount))
    }

    /// Reads an output of the last run in place.
    public func withOutput<R, E: Error>(_ name: String, _ body: (Span<Float>) throws(E) -> R) throws -> R {
        let (slot, shape) = try outputSlot(name)
        let buffer = UnsafeBufferPointer(start: UnsafePointer(table[slot]), count: shape.elementCount)
        return try body(buffer.span)
    }
}
