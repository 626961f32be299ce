/// One planned step of a network: reads its input buffers, writes its output buffer.
///
/// Kernels hold their geometry and packed weights, fixed at plan time; `batch` is the only thing
/// that varies per run. They must not allocate in `run`.
protocol Kernel: Sendable {
    /// Floats of scratch memory `run` needs, for a given batch size.
    func scratchCount(batch: Int) -> Int
    /// Multiply-adds one run performs, for FLOP rates in profiles (0 when negligible).
    func multiplyAdds(batch: Int) -> Int
    /// The parameters the planner computed for this kernel (folded, packed), by role, as
    /// `NetworkPlanner.bindKernel` reads them back from a `PreparedParameterFile`.
    var preparedParameters: [PreparedParameter] { get }
    func run(batch: Int, _ io: KernelIO)
}

extension Kernel {
    func scratchCount(batch: Int) -> Int { 0 }
    func multiplyAdds(batch: Int) -> Int { 0 }
    var preparedParameters: [PreparedParameter] { [] }
}

/// One prepared parameter of a kernel: its role (`weights`, `bias`, `packed`, …) and values.
struct PreparedParameter: Sendable {
    let role: String
    let values: ParameterStorage

    init(_ role: String, _ values: ParameterStorage) {
        self.role = role
        self.values = values
    }
}

/// Convolution kernels count their multiply-adds from their parameters.
protocol ConvolutionKernel: Kernel {
    var parameters: ConvolutionParameters { get }
}

extension ConvolutionKernel {
    func multiplyAdds(batch: Int) -> Int {
        let p = parameters
        return batch * p.outputPixelsPerSample * p.outputChannels
            * p.geometry.kernelHeight * p.geometry.kernelWidth * p.inputChannelsPerGroup
    }
}

/// The buffers one kernel invocation touches, resolved through the workspace's pointer table.
struct KernelIO {
    let table: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    let inputSlots: [Int]
    let outputSlot: Int
    let scratch: UnsafeMutablePointer<Float>
    /// Threads the kernel may split this run across (`KernelParallelism`); kernels that do not
    /// split ignore it.
    var threads: Int = 1

    @inline(__always)
    func input(_ index: Int) -> UnsafePointer<Float> { UnsafePointer(table[inputSlots[index]]) }

    @inline(__always)
    var output: UnsafeMutablePointer<Float> { table[outputSlot] }
}
