@testable import Classifier
import Testing

/// Traffic split by weight: proportions within a binomial tolerance, stickiness per client key.
@Suite struct ABRouterTests {
    @Test func stickyKeysSplitFiftyFifty() throws {
        let router = try ABRouter(weights: [("a", 50), ("b", 50)])
        let n = 10_000
        let toA = (0..<n).filter { router.route(clientKey: "client-\($0)") == "a" }.count
        // Binomial(10 000, 0.5): σ = 50, so ±250 is 5σ.
        #expect(abs(toA - n / 2) < 250, "a got \(toA) of \(n)")
        for key in ["alice", "bob", "client-7"] {
            let first = router.route(clientKey: key)
            #expect((0..<20).allSatisfy { _ in router.route(clientKey: key) == first }, "\(key) must always land on \(first)")
        }
    }

    @Test func randomRoutingFollowsUnevenWeights() throws {
        let router = try ABRouter(weights: [("a", 90), ("b", 10), ("off", 0)])
        let n = 10_000
        let routes = (0..<n).map { _ in router.route(clientKey: nil) }
        let toB = routes.filter { $0 == "b" }.count
        // Binomial(10 000, 0.1): σ = 30, ±150 is 5σ.
        #expect(abs(toB - n / 10) < 150, "b got \(toB) of \(n)")
        #expect(!routes.contains("off"), "a version with weight 0 gets no routed traffic")
    }

    @Test func intervalBoundaries() throws {
        let router = try ABRouter(weights: [("a", 1), ("b", 3)])
        #expect(router.version(at: 0) == "a")
        #expect(router.version(at: 0.2499) == "a")
        #expect(router.version(at: 0.25) == "b")
        #expect(router.version(at: 0.999_999) == "b")
    }

    @Test func rejectsUnusableWeights() {
        #expect(throws: ClassifierRegistryError.self) { try ABRouter(weights: []) }
        #expect(throws: ClassifierRegistryError.self) { try ABRouter(weights: [("a", 0)]) }
        #expect(throws: ClassifierRegistryError.self) { try ABRouter(weights: [("a", -1), ("b", 2)]) }
    }
}
