import Foundation

/// The collection classifier that needs no training: the `k` registered items nearest to the
/// photo vote for their categories, each with weight `exp(−distance / temperature)`, and a
/// category's probability is its share of the total weight.
///
/// It answers from the first item of each category on, and follows the collection as items
/// are added or deleted. The exponential weight lets a near-duplicate (cosine distance ≈ 0)
/// outvote several loosely similar items, and keeps a distance of exactly 0 finite (an inverse
/// distance would not). Distances are cosine distances (0…2) of L2-normalised embeddings.
public struct NearestItemsVote: Sendable, Equatable, Codable {
    /// How many nearest items vote.
    public var k: Int
    /// Weight scale in cosine distance: an item `temperature` farther than another weighs
    /// `1/e` as much.
    public var temperature: Float

    public static let defaultK = 10
    public static let defaultTemperature: Float = 0.05

    public init(k: Int = defaultK, temperature: Float = defaultTemperature) throws(CollectionError) {
        guard (1...1000).contains(k) else {
            throw CollectionError(.invalidOptions, "The nearest-items vote needs k between 1 and 1000; \(k) was given.")
        }
        guard temperature.isFinite, temperature > 0 else {
            throw CollectionError(.invalidOptions, "The nearest-items temperature must be a positive number; \(temperature) was given.")
        }
        self.k = k
        self.temperature = temperature
    }

    /// A neighbour as the vote sees it: its category and its cosine distance to the photo.
    public struct Neighbour: Sendable, Equatable {
        public var category: String
        public var distance: Float

        public init(category: String, distance: Float) {
            self.category = category
            self.distance = distance
        }
    }

    /// The vote of the nearest `k` of `neighbours` (any order). The categories are those of
    /// the voters, sorted by name for the indices; `empty_collection` when there is none.
    public func predict(_ neighbours: [Neighbour]) throws(CollectionError) -> CategoryPrediction {
        let voters = neighbours.filter { $0.distance.isFinite }.sorted { $0.distance < $1.distance }.prefix(k)
        guard let nearest = voters.first else {
            throw CollectionError(
                .emptyCollection,
                "No item is registered yet, so there is nothing to vote with; register items with their categories first.")
        }
        let labels = Array(Set(voters.map(\.category))).sorted()
        let position = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        var weights = [Double](repeating: 0, count: labels.count)
        // Relative to the nearest distance, so that the weights cannot all underflow to zero.
        for voter in voters {
            weights[position[voter.category]!] += exp(-Double(voter.distance - nearest.distance) / Double(temperature))
        }
        let total = weights.reduce(0, +)
        return CategoryPrediction(probabilities: weights.map { Float($0 / total) }, labels: labels)
    }
}
