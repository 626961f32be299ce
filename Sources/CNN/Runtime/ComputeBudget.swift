/// How this process's cores are shared among inferences: the one place that decides how many
/// inferences run at once and how many threads each one's layers split across.
///
/// OpenBLAS is not part of the share: it runs on one thread, set once before its first call
/// (`BLAS`) and never changed. The library splits the work across cores itself — a forward
/// pass's layers across `KernelThreadPool` (`Network.run(_:in:threads:)`), a batch across shards
/// (`ParallelBatchRunner`), requests across inference slots (the service) — and OpenBLAS threads
/// would compete with those: its idle threads spin for a while after every call.
public struct ComputeBudget: Sendable, Hashable, CustomStringConvertible {
    /// Cores the inferences share.
    public let cores: Int
    /// Inferences that may run at once (the service's inference slots).
    public let concurrentInferences: Int

    /// - Parameters:
    ///   - cores: by default, the cores this process may use.
    ///   - concurrentInferences: at least 1.
    public init(cores: Int = ProcessorCount.active, concurrentInferences: Int = 1) {
        self.cores = max(1, cores)
        self.concurrentInferences = max(1, concurrentInferences)
    }

    /// Threads one inference's layers may split across while `running` inferences (itself
    /// included) are in flight: the cores shared out, at least one. Alone on two cores a request
    /// takes both (latency); beside another each takes one (throughput).
    public func layerThreads(running: Int) -> Int {
        max(1, cores / max(1, running))
    }

    /// Shards a batch is cut into when it runs alone (`ParallelBatchRunner`): one per core.
    public var batchShards: Int { cores }

    public var description: String {
        "\(cores) cores, up to \(concurrentInferences) concurrent inferences, OpenBLAS on 1 thread"
    }
}
