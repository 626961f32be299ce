import Classifier
import Synchronization

/// The service's model versions as they are now: the configured ones, plus the versions
/// trained through the API since (`add`). A request reads one consistent `ModelRegistry`
/// (`current`) for its whole life; adding a version swaps in a new one.
final class LiveRegistry: Sendable {
    private let state: Mutex<ModelRegistry>

    init(_ registry: ModelRegistry) {
        state = Mutex(registry)
    }

    var current: ModelRegistry { state.withLock { $0 } }

    /// Adds `version` (a new id) and routes traffic to it by its spec's weight.
    func add(_ version: ModelVersion) throws(ClassifierRegistryError) {
        try state.withLock { (registry: inout ModelRegistry) throws(ClassifierRegistryError) in
            registry = try registry.adding(version)
        }
    }
}
