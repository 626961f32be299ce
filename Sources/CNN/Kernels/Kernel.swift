/// One planned step of a network: reads its input buffers, writes its output buffer.
///
/// Kernels hold their geometry and packed weights, fixed at plan time; `batch` is the only thing
/// that varies per run. They must not allocate in `run`.
protocol Kernel: Sendable {
    /// Floats of scratch memory `run` needs, for a given batch size.
    func scratchCount(batch: Int) -> Int
    func run(batch: Int, _ io: KernelIO)
}

extension Kernel {
    func scratchCount(batch: Int) -> Int { 0 }
}

/// The buffers one kernel invocation touches, resolved through the workspace's pointer table.
struct KernelIO {
    let table: UnsafeMutablePointer<UnsafeMutablePointer<Float>>
    let inputSlots: [Int]
    let outputSlot: Int
    let scratch: UnsafeMutablePointer<Float>

    @inline(__always)
    func input(_ index: Int) -> UnsafePointer<Float> { UnsafePointer(table[inputSlots[index]]) }

    @inline(__always)
    var output: UnsafeMutablePointer<Float> { table[outputSlot] }
}
