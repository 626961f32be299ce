/// How a kernel splits one run across threads (`KernelIO.threads`): the caller of
/// `Network.run(_:in:threads:)` asks for more than one thread when cores are idle — a batch-1
/// request on an otherwise quiet machine — and the heavy kernels (1×1 and direct convolutions,
/// depthwise) cut their output into that many contiguous parts. Layers synchronise once each, so
/// this pays for latency, not throughput: concurrent requests or batch shards
/// (`ParallelBatchRunner`) use the cores better.
enum KernelParallelism {
    /// Runs every part of `work` and returns when all have finished: on this thread and
    /// `KernelThreadPool.shared`'s helpers, or all on this thread when `parts` is 1 or the pool
    /// is busy with another caller's layer. Allocates nothing: the helpers read `work` on this
    /// thread's stack.
    @inline(__always)
    static func run<Work: PartitionedWork>(parts: Int, _ work: Work) {
        if parts > 1 {
            var work = work
            if KernelThreadPool.shared.run(parts: parts, Work.self, context: &work) { return }
        }
        for part in 0..<parts { work.run(part: part, of: parts) }
    }

    /// Part `part` of `0..<total` cut into `parts` contiguous ranges whose bounds (except the
    /// last) are multiples of `alignment`, as even as that allows.
    static func range(_ total: Int, part: Int, of parts: Int, alignment: Int = 1) -> Range<Int> {
        let units = (total + alignment - 1) / alignment
        let lower = min(total, (units * part / parts) * alignment)
        let upper = part == parts - 1 ? total : min(total, (units * (part + 1) / parts) * alignment)
        return lower..<max(lower, upper)
    }
}

/// One run of a layer, cut into parts that write disjoint parts of its output.
protocol PartitionedWork {
    func run(part: Int, of parts: Int)
}
