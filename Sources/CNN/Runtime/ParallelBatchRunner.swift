import Dispatch

/// Runs one batch split across cores: the batch is cut into `shards` contiguous slices, each run
/// on its own thread in its own `Workspace` (OpenBLAS stays on one thread: `ComputeBudget`).
/// Batch-level parallelism scales better than threading inside each layer: shards synchronise
/// once per batch, not once per layer.
///
/// Like a `Workspace`, a runner belongs to one caller at a time (not `Sendable`). Each shard
/// reads its slice of the caller's input in place. Public for the benchmarks; the service runs
/// its batches through `ImageModel`.
@_spi(Benchmarks)
public final class ParallelBatchRunner {
    public let network: Network
    public let maxBatch: Int
    public let shardCount: Int
    private let workspaces: [Workspace]
    private var ranges: [Range<Int>] = []

    /// - Parameter shards: parallel slices; by default one per core (`ComputeBudget.batchShards`).
    public init(network: Network, maxBatch: Int, shards: Int = ComputeBudget().batchShards) {
        self.network = network
        self.maxBatch = max(1, maxBatch)
        shardCount = max(1, min(shards, self.maxBatch))
        let perShard = (self.maxBatch + shardCount - 1) / shardCount
        workspaces = (0..<shardCount).map { _ in network.makeWorkspace(maxBatch: perShard) }
    }

    /// Runs `input` (batch ≤ `maxBatch`); read the results with `copyOutput(_:into:)`.
    public func run(_ input: Tensor) throws(CNNError) {
        let batch = input.shape.batch
        guard batch <= maxBatch else {
            throw CNNError(.invalidInput, "Batch \(batch) exceeds this runner's maximum of \(maxBatch); make a runner with `maxBatch: \(batch)`.")
        }
        let used = min(shardCount, batch)
        ranges.removeAll(keepingCapacity: true)
        var start = 0
        for shard in 0..<used {
            let size = (batch - start) / (used - shard)
            ranges.append(start..<(start + size))
            start += size
        }
        if used == 1 {
            try network.run(input, samples: ranges[0], in: workspaces[0])
            return
        }
        let failure = FirstError()
        // Each shard index touches only its own workspace and reads its own slice of the input.
        nonisolated(unsafe) let spaces = workspaces
        let ranges = self.ranges
        let network = self.network
        DispatchQueue.concurrentPerform(iterations: used) { shard in
            do throws(CNNError) {
                try network.run(input, samples: ranges[shard], in: spaces[shard])
            } catch {
                failure.record(error)
            }
        }
        if let error = failure.error { throw error }
    }

    /// The output `name` of the last run for the whole batch, in sample order.
    public func copyOutput(_ name: String, into destination: inout [Float]) throws(CNNError) {
        destination.removeAll(keepingCapacity: true)
        for shard in 0..<ranges.count {
            try workspaces[shard].appendOutput(name, to: &destination)
        }
    }
}

/// The first error reported by concurrent work.
private final class FirstError: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private(set) var error: CNNError?

    func record(_ error: CNNError) {
        lock.wait()
        if self.error == nil { self.error = error }
        lock.signal()
    }
}

/// The number of cores this process may use.
public enum ProcessorCount {
    public static var active: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#endif
