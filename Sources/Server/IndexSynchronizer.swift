import Classifier
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Keeps this instance's similar-items index in step with items registered or deleted through
/// other instances sharing the database: every `interval` it reads the `item_changes` log past
/// the last change it applied and adds or removes those items (registrations of the index's
/// model version only). Changes this instance made itself are already in its index; applying
/// them again is harmless (an add is an upsert, a remove of an absent id does nothing).
///
/// Runs as a `Service` beside the HTTP server and stops at graceful shutdown. A failed read
/// (e.g. the database briefly unreachable) is logged and retried at the next tick.
public final class IndexSynchronizer: Service, Sendable {
    let store: any Store
    /// Every backbone's index: a change applies to each (with that backbone's embedding).
    let indexes: [ItemIndex]
    let interval: Duration
    /// Seconds of the log re-read at every tick (see `Store.itemChanges(after:since:)`).
    let overlapSeconds: Double
    let logger: Logger
    private let lastSeq: Mutex<Int64>

    /// - Parameter after: the last change already reflected in `index` (read *before* the items
    ///   the index was built from, so nothing committed in between is missed).
    public init(
        store: any Store, indexes: [ItemIndex], after: Int64, interval: Duration = .seconds(2), overlapSeconds: Double = 30, logger: Logger
    ) {
        self.store = store
        self.indexes = indexes
        self.interval = interval
        self.overlapSeconds = overlapSeconds
        self.logger = logger
        self.lastSeq = Mutex(after)
    }

    /// The last change applied.
    public var appliedThrough: Int64 { lastSeq.withLock { $0 } }

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: self.interval)
                } catch {
                    return
                }
                do {
                    try await self.synchronize()
                } catch {
                    self.logger.warning("index synchronisation failed; retrying at the next tick", metadata: ["error": .string("\(error)")])
                }
            }
        }
    }

    /// Applies every change logged since the last call; returns how many changed the index.
    @discardableResult
    public func synchronize() async throws -> Int {
        let after = appliedThrough
        let changes = try await store.itemChanges(after: after, since: Date().timeIntervalSince1970 - overlapSeconds)
        var applied = 0
        var latest = after
        for change in changes {
            latest = max(latest, change.seq)
            for index in indexes {
                if change.deleted {
                    if index.contains(change.itemID) {
                        index.remove(change.itemID)
                        applied += 1
                    }
                } else if !index.contains(change.itemID), let item = try await store.item(id: change.itemID, embeddedBy: index.modelVersion) {
                    // (No item: deleted since — its deletion is later in the log — or never
                    // embedded by this backbone.)
                    do {
                        try index.add(item.summary, embedding: item.embedding)
                        applied += 1
                    } catch {
                        logger.error("item not indexed", metadata: ["id": .stringConvertible(item.id), "error": .string("\(error)")])
                    }
                }
            }
        }
        lastSeq.withLock { $0 = max($0, latest) }
        if applied > 0 {
            logger.info("index synchronised with the items table", metadata: ["changes": .stringConvertible(applied), "through": .stringConvertible(latest)])
        }
        return applied
    }
}
