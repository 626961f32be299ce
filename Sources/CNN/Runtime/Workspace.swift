/// The memory one caller runs a `Network` in: one arena for every intermediate value, a region
/// for the graph's outputs, the kernels' scratch, and the table of buffer addresses. Made once by
/// `Network.makeWorkspace`; a run allocates nothing. Not `Sendable`: each concurrent caller owns one.
///
/// A batch runs through the network in groups of `groupSize` samples: the arena holds one group's
/// activations and is reused by the next group, so a large batch neither needs an arena per sample
/// nor streams activations larger than the caches through every layer (EfficientNet-Lite0's
/// arena is ≈10 MB per sample). Each group writes its outputs to its samples' place in the
/// output region, so the outputs of the whole batch are read afterwards as one tensor.
public final class Workspace {
    let plan: Network.Plan
    /// The largest batch this workspace can run.
    public let maxBatch: Int
    /// Samples run through the network together; `maxBatch` when a batch's activations are small.
    public let groupSize: Int
    private let arena: UnsafeMutablePointer<Float>
    private let arenaCount: Int
    private let outputs: UnsafeMutablePointer<Float>
    private let outputCount: Int
    private let scratch: UnsafeMutablePointer<Float>
    private let scratchCount: Int
    private let table: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    /// Where each input slot's batch starts for the current run (the callers' memory).
    private let inputBases: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    /// The batch of the last run; 0 before the first.
    public private(set) var batch: Int = 0

    /// Arena floats a group may use before the workspace splits a batch into smaller groups:
    /// about the size of a last-level cache slice.
    public static let groupArenaBudget = 1 << 20

    init(plan: Network.Plan, maxBatch: Int, groupSize: Int? = nil) {
        self.plan = plan
        self.maxBatch = maxBatch
        let perSample = max(1, plan.buffers.arenaSizePerSample)
        self.groupSize = max(1, min(maxBatch, groupSize ?? Self.groupArenaBudget / perSample))
        arenaCount = max(1, plan.buffers.arenaSizePerSample * self.groupSize)
        arena = ActivationMemory.allocate(floats: arenaCount)
        outputCount = max(1, plan.buffers.outputSizePerSample * maxBatch)
        outputs = ActivationMemory.allocate(floats: outputCount)
        scratchCount = max(1, plan.scratchCount(batch: self.groupSize))
        scratch = ActivationMemory.allocate(floats: scratchCount)
        let slots = max(1, plan.slotShapes.count)
        table = .allocate(capacity: slots)
        table.initialize(repeating: arena, count: slots)
        inputBases = .allocate(capacity: slots)
        inputBases.initialize(repeating: arena, count: slots)
    }

    deinit {
        ActivationMemory.deallocate(arena)
        ActivationMemory.deallocate(outputs)
        ActivationMemory.deallocate(scratch)
        table.deallocate()
        inputBases.deallocate()
    }

    /// Bytes this workspace holds.
    public var byteCount: Int { (arenaCount + outputCount + scratchCount) * MemoryLayout<Float>.stride }

    func execute(plan: Network.Plan, inputs: [Tensor], batch: Int) {
        withInputs(inputs, index: 0) {
            runGroups(plan: plan, batch: batch) { _, run in run() }
        }
    }

    func execute(plan: Network.Plan, input: Tensor, sampleOffset: Int = 0, batch: Int, threads: Int = 1) {
        input.scalars.withUnsafeBufferPointer { buffer in
            let start = buffer.baseAddress! + sampleOffset * input.shape.elementsPerSample
            inputBases[plan.inputSlots[0]] = UnsafeMutablePointer(mutating: start)
            runGroups(plan: plan, batch: batch, threads: threads) { _, run in run() }
        }
    }

    /// Runs the steps through `body`, which must call the closure it is given once; with a batch
    /// larger than `groupSize`, every step comes once per group.
    func executeSteps(plan: Network.Plan, input: Tensor, batch: Int, threads: Int = 1, _ body: (Int, () -> Void) -> Void) {
        input.scalars.withUnsafeBufferPointer { buffer in
            inputBases[plan.inputSlots[0]] = UnsafeMutablePointer(mutating: buffer.baseAddress!)
            runGroups(plan: plan, batch: batch, threads: threads, body)
        }
    }

    /// Runs `batch` samples group by group, then points the output slots at the whole batch.
    private func runGroups(plan: Network.Plan, batch: Int, threads: Int = 1, _ body: (Int, () -> Void) -> Void) {
        // Index loops, not iterators: unspecialised (debug) iteration over these arrays allocates.
        let placements = plan.buffers.placements
        let slotShapes = plan.slotShapes
        let steps = plan.steps
        var first = 0
        while first < batch {
            let count = min(groupSize, batch - first)
            for slot in 0..<placements.count {
                switch placements[slot] {
                case .external:
                    table[slot] = inputBases[slot] + first * slotShapes[slot].elementsPerSample
                case .arena(let offset):
                    table[slot] = arena + offset * count
                case .output(let offset):
                    table[slot] = outputs + offset * batch + first * slotShapes[slot].elementsPerSample
                }
            }
            for index in 0..<steps.count {
                let step = steps[index]
                body(index) {
                    step.kernel.run(
                        batch: count,
                        KernelIO(table: table, inputSlots: step.inputSlots, outputSlot: step.outputSlot, scratch: scratch, threads: threads))
                }
            }
            first += count
        }
        for slot in 0..<placements.count {
            if case .output(let offset) = placements[slot] { table[slot] = outputs + offset * batch }
        }
        self.batch = batch
    }

    /// Records where the input tensors start for the duration of `body` (kernels only read them).
    private func withInputs(_ inputs: [Tensor], index: Int, _ body: () -> Void) {
        guard index < inputs.count else { return body() }
        inputs[index].scalars.withUnsafeBufferPointer { buffer in
            inputBases[plan.inputSlots[index]] = UnsafeMutablePointer(mutating: buffer.baseAddress!)
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
