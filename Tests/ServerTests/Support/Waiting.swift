/// Waits with a deadline: a condition that never comes true fails the test instead of hanging
/// the suite. The default is generous because the CPU-bound suites running beside these tests
/// can hold both cooperative threads for minutes on a two-core machine; a wait that is merely
/// slow must not fail.
enum Waiting {
    struct Timeout: Error, CustomStringConvertible {
        let description: String
    }

    /// Polls `condition` until it holds; throws `Timeout` after `limit`.
    static func until(_ what: String, limit: Duration = .seconds(300), _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + limit
        while !(await condition()) {
            guard ContinuousClock.now < deadline else { throw Timeout(description: "timed out after \(limit) waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }
}
