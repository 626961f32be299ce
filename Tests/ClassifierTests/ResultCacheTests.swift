import Classifier
import Models
import Synchronization
import Testing

/// The LRU + TTL cache: hits, recency order under the byte bound, expiry, replacement.
@Suite struct ResultCacheTests {
    static func classification(_ label: String, dimension: Int = 16) -> Classification {
        Classification(
            label: label, confidence: 0.9, accepted: true, topK: [ClassScore(label: label, index: 1, confidence: 0.9)],
            embedding: [Float](repeating: 0.25, count: dimension), modelVersion: "v1")
    }

    static func key(_ sha: String, _ version: String = "v1") -> ResultCache.Key { .init(sha256: sha, modelVersion: version) }

    @Test func missThenHitKeyedByBytesAndVersion() {
        let cache = ResultCache(maxBytes: 1 << 20)
        #expect(cache.value(for: Self.key("a")) == nil)
        cache.insert(Self.classification("cat"), for: Self.key("a"))
        #expect(cache.value(for: Self.key("a"))?.label == "cat")
        #expect(cache.value(for: Self.key("a", "v2")) == nil, "another model version is another key")
        #expect(cache.value(for: Self.key("b")) == nil)
    }

    @Test func evictsLeastRecentlyUsedWithinTheByteBound() {
        let cost = Self.classification("x").approximateBytes
        let cache = ResultCache(maxBytes: 3 * cost)
        for name in ["a", "b", "c"] { cache.insert(Self.classification("x"), for: Self.key(name)) }
        #expect(cache.value(for: Self.key("a")) != nil)  // a becomes the most recent
        cache.insert(Self.classification("x"), for: Self.key("d"))  // evicts b, the least recent
        #expect(cache.value(for: Self.key("b")) == nil)
        for name in ["a", "c", "d"] { #expect(cache.value(for: Self.key(name)) != nil, "\(name) should survive") }
        #expect(cache.usage.entries == 3)
        #expect(cache.usage.bytes <= 3 * cost)
    }

    @Test func entryLargerThanTheBoundIsNotStored() {
        let cache = ResultCache(maxBytes: 100)
        cache.insert(Self.classification("big", dimension: 1000), for: Self.key("a"))
        #expect(cache.value(for: Self.key("a")) == nil)
        #expect(cache.usage.bytes == 0)
    }

    @Test func expiresAfterTheTimeToLive() {
        let clock = Mutex(ContinuousClock.now)
        let cache = ResultCache(maxBytes: 1 << 20, timeToLive: .seconds(60), now: { clock.withLock { $0 } })
        cache.insert(Self.classification("cat"), for: Self.key("a"))
        clock.withLock { $0 = $0.advanced(by: .seconds(59)) }
        #expect(cache.value(for: Self.key("a")) != nil)
        clock.withLock { $0 = $0.advanced(by: .seconds(2)) }
        #expect(cache.value(for: Self.key("a")) == nil)
        #expect(cache.usage.entries == 0, "an expired entry is dropped when met")
    }

    @Test func reinsertReplacesAndKeepsTheByteCountExact() {
        let cache = ResultCache(maxBytes: 1 << 20)
        cache.insert(Self.classification("cat"), for: Self.key("a"))
        let bytes = cache.usage.bytes
        cache.insert(Self.classification("dog"), for: Self.key("a"))
        #expect(cache.value(for: Self.key("a"))?.label == "dog")
        #expect(cache.usage.entries == 1)
        #expect(cache.usage.bytes == bytes)
    }
}
