import Synchronization

/// Workspaces of one network kept between runs, so that concurrent callers (a service's inference
/// slots) each borrow one instead of allocating ~10 MB of activations per call.
///
/// Allocating per call cost more than the memory: every fresh workspace is new pages, and the
/// page faults and `munmap`s of two concurrent inferences serialise on the process's memory-map
/// lock — a two-slot service kept about one core busy. Borrowing is a lock and an array pop;
/// `Sendable`: share one pool between tasks.
public final class WorkspacePool: Sendable {
    public let network: Network
    /// Idle workspaces kept at most; more concurrent callers still get one, freed on return.
    public let capacity: Int
    private let idle = Mutex<[Entry]>([])

    /// A workspace is used by one caller at a time: the pool hands each out once and takes it
    /// back after the caller's closure returns, which is what makes moving it across threads
    /// safe.
    private final class Entry: @unchecked Sendable {
        let workspace: Workspace
        init(_ workspace: Workspace) { self.workspace = workspace }
    }

    public init(network: Network, capacity: Int = 4) {
        self.network = network
        self.capacity = max(0, capacity)
    }

    /// Idle workspaces right now (for tests and metrics).
    public var idleCount: Int { idle.withLock { $0.count } }

    /// Runs `body` with a workspace of at least `maxBatch` samples — an idle one when there is,
    /// a new one otherwise — and keeps it for the next caller afterwards.
    public func withWorkspace<R, E: Error>(maxBatch: Int, _ body: (Workspace) throws(E) -> R) throws(E) -> R {
        let batch = max(1, maxBatch)
        let borrowed = idle.withLock { entries -> Entry? in
            guard let index = entries.lastIndex(where: { $0.workspace.maxBatch >= batch }) else { return nil }
            return entries.remove(at: index)
        }
        let entry = borrowed ?? Entry(network.makeWorkspace(maxBatch: batch))
        defer {
            idle.withLock { entries in
                if entries.count < capacity {
                    entries.append(entry)
                } else if let smallest = entries.indices.min(by: { entries[$0].workspace.maxBatch < entries[$1].workspace.maxBatch }),
                    entries[smallest].workspace.maxBatch < entry.workspace.maxBatch
                {
                    // Full: keep the larger of the two, so batch calls stop allocating too.
                    entries[smallest] = entry
                }
            }
        }
        return try body(entry.workspace)
    }
}
