import CollectionLearning
import Foundation
import Testing

@Suite("Nearest-items vote")
struct NearestItemsVoteTests {
    @Test("weights are exp(−d/T) of the k nearest, normalised; one item per category suffices")
    func weights() throws {
        let vote = try NearestItemsVote(k: 3, temperature: 0.1)
        let prediction = try vote.predict([
            .init(category: "stamp", distance: 0.30), .init(category: "coin", distance: 0.10), .init(category: "coin", distance: 0.20),
            .init(category: "card", distance: 0.90),  // beyond k = 3
        ])
        // By hand: coin e^0 + e^−1, stamp e^−2 (relative to the nearest distance).
        let coin = 1 + exp(-1.0), stamp = exp(-2.0)
        #expect(prediction.scores.map(\.label) == ["coin", "stamp"])
        #expect(abs(Double(prediction.best.confidence) - coin / (coin + stamp)) < 1e-6)
        #expect(try vote.predict([.init(category: "toy", distance: 0.7)]).best.confidence == 1)
    }

    @Test("no item: empty_collection; bad options: invalid_options")
    func errors() {
        let empty = #expect(throws: CollectionError.self) { _ = try NearestItemsVote().predict([]) }
        #expect(empty?.code == .emptyCollection)
        let k = #expect(throws: CollectionError.self) { _ = try NearestItemsVote(k: 0) }
        #expect(k?.code == .invalidOptions)
    }
}
