import Foundation
import Synchronization

/// An in-process LRU cache of classifications, bounded in bytes, with a time to live.
///
/// Key: SHA-256 of the image bytes + model version. Entries older than `timeToLive` are
/// misses (and dropped when met); inserting beyond `maxBytes` evicts least recently used
/// entries first (an entry larger than `maxBytes` is not stored). Cost of an entry:
/// `Classification.approximateBytes`.
///
/// Implementation: a dictionary of nodes in a doubly linked recency list addressed by index
/// into an array (no per-node classes), guarded by one `Mutex`; every operation is O(1).
/// Thread-safe and `Sendable`.
public final class ResultCache: Sendable {
    public struct Key: Hashable, Sendable {
        public let sha256: String
        public let modelVersion: String
        public init(sha256: String, modelVersion: String) {
            self.sha256 = sha256
            self.modelVersion = modelVersion
        }
    }

    public let maxBytes: Int
    public let timeToLive: Duration
    private let state: Mutex<State>
    private let now: @Sendable () -> ContinuousClock.Instant

    /// - `now`: the clock, replaceable in tests to age entries without waiting.
    public init(
        maxBytes: Int = 64 << 20, timeToLive: Duration = .seconds(24 * 3600),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        precondition(maxBytes >= 0, "maxBytes must not be negative")
        self.maxBytes = maxBytes
        self.timeToLive = timeToLive
        self.now = now
        self.state = Mutex(State())
    }

    /// Number of entries and bytes held.
    public var usage: (entries: Int, bytes: Int) {
        state.withLock { ($0.slots.count - $0.free.count, $0.bytes) }
    }

    /// The cached classification, refreshed as most recently used; nil if absent or expired.
    public func value(for key: Key) -> Classification? {
        let instant = now()
        return state.withLock { state in
            guard let slot = state.index[key] else { return nil }
            if instant - state.slots[slot].stored > timeToLive {
                state.remove(slot)
                return nil
            }
            state.moveToFront(slot)
            return state.slots[slot].value
        }
    }

    public func insert(_ value: Classification, for key: Key) {
        let cost = value.approximateBytes
        guard cost <= maxBytes else { return }
        let instant = now()
        state.withLock { state in
            if let slot = state.index[key] { state.remove(slot) }
            while state.bytes + cost > maxBytes, let tail = state.tail { state.remove(tail) }
            state.insertAtFront(Entry(key: key, value: value, cost: cost, stored: instant))
        }
    }

    struct Entry {
        var key: Key
        var value: Classification?
        var cost: Int
        var stored: ContinuousClock.Instant
        var previous: Int? = nil
        var next: Int? = nil
    }

    struct State {
        var slots: [Entry] = []
        var free: [Int] = []
        var index: [Key: Int] = [:]
        var head: Int?
        var tail: Int?
        var bytes = 0

        mutating func insertAtFront(_ entry: Entry) {
            let slot: Int
            if let reused = free.popLast() {
                slot = reused
                slots[slot] = entry
            } else {
                slot = slots.count
                slots.append(entry)
            }
            index[entry.key] = slot
            bytes += entry.cost
            link(slot)
        }

        mutating func remove(_ slot: Int) {
            unlink(slot)
            index[slots[slot].key] = nil
            bytes -= slots[slot].cost
            slots[slot].value = nil
            free.append(slot)
        }

        mutating func moveToFront(_ slot: Int) {
            guard head != slot else { return }
            unlink(slot)
            link(slot)
        }

        private mutating func link(_ slot: Int) {
            slots[slot].previous = nil
            slots[slot].next = head
            if let head { slots[head].previous = slot }
            head = slot
            if tail == nil { tail = slot }
        }

        private mutating func unlink(_ slot: Int) {
            let (previous, next) = (slots[slot].previous, slots[slot].next)
            if let previous { slots[previous].next = next } else { head = next }
            if let next { slots[next].previous = previous } else { tail = previous }
            slots[slot].previous = nil
            slots[slot].next = nil
        }
    }
}
