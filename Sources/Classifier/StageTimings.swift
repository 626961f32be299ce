/// Wall-clock milliseconds spent in each pipeline stage of one request, keyed by stage name
/// (`validate`, `decode`, `quality`, `preprocess`, `infer`, `search`, plus whatever the server
/// adds such as `cache` and `store`). A batch shares the `infer` time among its images.
public struct StageTimings: Sendable, Equatable {
    public private(set) var milliseconds: [String: Double] = [:]

    public init() {}

    public mutating func record(_ stage: String, _ duration: Duration) {
        milliseconds[stage, default: 0] += duration.milliseconds
    }

    /// Runs `body`, adding its wall-clock time to `stage`.
    public mutating func measure<T, E: Error>(_ stage: String, _ body: () throws(E) -> T) throws(E) -> T {
        let clock = ContinuousClock()
        let start = clock.now
        defer { record(stage, clock.now - start) }
        return try body()
    }

    public mutating func merge(_ other: StageTimings) {
        for (stage, value) in other.milliseconds { milliseconds[stage, default: 0] += value }
    }
}

extension Duration {
    /// The duration in milliseconds, as a Double.
    public var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
