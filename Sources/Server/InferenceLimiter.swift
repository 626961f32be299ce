import CNN
import Dispatch
import Synchronization
import Tracing

/// Bounds the number of concurrent inferences and the queue in front of them.
///
/// At most `maxConcurrent` bodies run at once, each on a Dispatch worker thread (so CPU-bound
/// inference never occupies Swift's cooperative threads, which keep serving I/O and cheap
/// requests); up to `maxQueued` more wait in FIFO order; beyond that `run` throws 503
/// `overloaded` with `Retry-After` at once (load shedding). A waiter still queued after
/// `maxWait` (the request timeout), or whose task is cancelled, leaves the queue with 503
/// `timeout`. A forward pass that has started is never interrupted.
///
/// The caller's `ServiceContext` (its trace) goes with the body: task-locals do not reach a
/// Dispatch thread, so without it the spans a body starts would begin new, orphaned traces.
public final class InferenceLimiter: Sendable {
    /// How the cores are shared: `concurrentInferences` slots, and each running body's layer
    /// threads.
    public let budget: ComputeBudget
    public var maxConcurrent: Int { budget.concurrentInferences }
    public let maxQueued: Int
    public let maxWait: Duration
    private let state = Mutex(State())
    private let metrics: ServiceMetrics?

    struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Admission, Never>
    }

    struct State {
        var running = 0
        var waiters: [Waiter] = []
        var nextID: UInt64 = 0
    }

    enum Admission { case admitted, rejected, cancelled }

    public init(budget: ComputeBudget, maxQueued: Int, maxWait: Duration = .seconds(30), metrics: ServiceMetrics? = nil) {
        precondition(maxQueued >= 0, "maxQueued must be non-negative")
        self.budget = budget
        self.maxQueued = maxQueued
        self.maxWait = maxWait
        self.metrics = metrics
    }

    /// Runs `body` on a worker thread once a slot is free, under the caller's `ServiceContext`.
    public func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await acquire()
        defer { release() }
        let serviceContext = ServiceContext.current
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try ServiceContext.withValue(serviceContext) { try body() } })
            }
        }
    }

    /// Threads an inference running now may split its layers across: the budget's share for the
    /// bodies running (itself included). Read just before the forward pass: alone on two cores a
    /// request takes both (a cache miss's latency), and as soon as a second one runs each takes
    /// one (throughput). A request admitted during a two-thread forward pass runs beside it for
    /// at most that pass.
    public func layerThreads() -> Int {
        budget.layerThreads(running: state.withLock { $0.running })
    }

    /// Bodies running now.
    public var running: Int { state.withLock { $0.running } }

    /// Requests waiting for a slot now.
    public var queued: Int { state.withLock { $0.waiters.count } }

    private func acquire() async throws(APIError) {
        let id = state.withLock { state in
            state.nextID += 1
            return state.nextID
        }
        let expiry = Task { [maxWait] in
            try await Task.sleep(for: maxWait)
            self.withdraw(id)
        }
        defer { expiry.cancel() }
        let admission = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Admission, Never>) in
                let decision: Admission? = state.withLock { state in
                    if Task.isCancelled { return .cancelled }
                    if state.running < maxConcurrent {
                        state.running += 1
                        return .admitted
                    }
                    if state.waiters.count < maxQueued {
                        state.waiters.append(Waiter(id: id, continuation: continuation))
                        return nil
                    }
                    return .rejected
                }
                if let decision { continuation.resume(returning: decision) } else { metrics?.queued.increment() }
            }
        } onCancel: {
            withdraw(id)
        }
        switch admission {
        case .admitted:
            return
        case .rejected:
            metrics?.shed.increment()
            throw APIError(
                .serviceUnavailable, .overloaded,
                "All \(maxConcurrent) inference slots are busy and \(maxQueued) requests are queued; retry after a second.",
                headers: [.retryAfter: "1"])
        case .cancelled:
            throw APIError(.serviceUnavailable, .timeout, "The request waited too long for an inference slot; retry later.", headers: [.retryAfter: "1"])
        }
    }

    /// Takes waiter `id` out of the queue, if it is still there, answering it `cancelled`.
    private func withdraw(_ id: UInt64) {
        let waiter = state.withLock { state -> Waiter? in
            guard let position = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return state.waiters.remove(at: position)
        }
        if let waiter {
            metrics?.queued.decrement()
            waiter.continuation.resume(returning: .cancelled)
        }
    }

    private func release() {
        let next = state.withLock { state -> Waiter? in
            if state.waiters.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        if let next {
            metrics?.queued.decrement()
            next.continuation.resume(returning: .admitted)
        }
    }
}
