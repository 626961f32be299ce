import CNN
import Foundation
import Server
import Synchronization
import Testing
import Tracing

/// The limiter on bodies that block until released: concurrency bound, FIFO queue, shedding
/// with 503 `overloaded` beyond the queue, 503 `timeout` after the maximum wait.
@Suite struct InferenceLimiterTests {
    /// A gate the bodies wait on, opened by the test.
    final class Gate: Sendable {
        private let semaphore = DispatchSemaphore(value: 0)
        let started = Mutex(0)
        func wait() {
            started.withLock { $0 += 1 }
            semaphore.wait()
        }
        func open(_ count: Int) { for _ in 0..<count { semaphore.signal() } }
    }

    static func limiter(slots: Int, cores: Int = 2, maxQueued: Int, maxWait: Duration = .seconds(30)) -> InferenceLimiter {
        InferenceLimiter(budget: ComputeBudget(cores: cores, concurrentInferences: slots), maxQueued: maxQueued, maxWait: maxWait)
    }

    static func errorCode(_ body: () async throws -> Void) async -> String? {
        do {
            try await body()
            return nil
        } catch let error as APIError {
            return error.code.rawValue
        } catch {
            return "\(error)"
        }
    }

    @Test func boundsConcurrencyQueuesThenSheds() async throws {
        let limiter = Self.limiter(slots: 1, maxQueued: 1, maxWait: .seconds(60))
        let gate = Gate()
        let running = Task { try await limiter.run { gate.wait(); return 1 } }
        try await Waiting.until("the first body runs") { gate.started.withLock { $0 } == 1 }
        let queued = Task { try await limiter.run { 2 } }
        try await Waiting.until("the second request waits in the queue") { limiter.queued == 1 }
        #expect(gate.started.withLock { $0 } == 1, "the queued body must not start while the slot is taken")
        let shed = await Self.errorCode { _ = try await limiter.run { 3 } }
        #expect(shed == "overloaded")
        gate.open(1)
        #expect(try await running.value == 1)
        #expect(try await queued.value == 2)
        #expect(try await limiter.run { 4 } == 4, "slots are released")
    }

    /// A key of the test's own in the `ServiceContext`, standing in for a trace's span context.
    enum MarkerKey: ServiceContextKey {
        typealias Value = String
    }

    /// The body runs on a Dispatch thread, which task-locals do not reach: the limiter carries
    /// the caller's `ServiceContext` there, so the spans a body starts stay in the caller's trace.
    @Test func bodyRunsUnderTheCallersServiceContext() async throws {
        let limiter = Self.limiter(slots: 1, maxQueued: 0)
        var context = ServiceContext.topLevel
        context[MarkerKey.self] = "request-42"
        let seen = try await ServiceContext.withValue(context) {
            try await limiter.run { ServiceContext.current?[MarkerKey.self] }
        }
        #expect(seen == "request-42")
        #expect(try await limiter.run { ServiceContext.current == nil }, "no context leaks into a later body")
    }

    /// Alone, an inference takes every core for its layers; beside others, its share.
    @Test func layerThreadsShareTheCoresAmongRunningBodies() async throws {
        let limiter = Self.limiter(slots: 3, cores: 2, maxQueued: 0)
        let wide = Self.limiter(slots: 3, cores: 4, maxQueued: 0)
        #expect(try await limiter.run { limiter.layerThreads() } == 2)
        let gate = Gate()
        let first = Task { try await limiter.run { gate.wait(); return 0 } }
        let wideFirst = Task { try await wide.run { gate.wait(); return 0 } }
        try await Waiting.until("both first bodies run") { gate.started.withLock { $0 } == 2 }
        #expect(try await limiter.run { limiter.layerThreads() } == 1)
        #expect(try await wide.run { wide.layerThreads() } == 2)
        let second = Task { try await limiter.run { gate.wait(); return 0 } }
        try await Waiting.until("the second body runs") { gate.started.withLock { $0 } == 3 }
        #expect(try await limiter.run { limiter.layerThreads() } == 1, "never below one thread")
        gate.open(3)
        _ = try await (first.value, second.value, wideFirst.value)
        #expect(try await limiter.run { limiter.layerThreads() } == 2)
    }

    @Test func queuedRequestTimesOut() async throws {
        let limiter = Self.limiter(slots: 1, maxQueued: 4, maxWait: .milliseconds(200))
        let gate = Gate()
        let running = Task { try await limiter.run { gate.wait(); return 1 } }
        try await Waiting.until("the first body runs") { gate.started.withLock { $0 } == 1 }
        let timedOut = await Self.errorCode { _ = try await limiter.run { 2 } }
        #expect(timedOut == "timeout")
        gate.open(1)
        #expect(try await running.value == 1)
        #expect(try await limiter.run { 3 } == 3)
    }
}
