/// Labelled embeddings to learn a collection's categories from: one sample per view of a
/// photo (the photo itself, and optionally its flipped or cropped views), each with its
/// category and the photo it came from (`group`), so that a held-out split or a fold never
/// puts views of one photo on both sides.
///
/// Validated when built: at least one sample, every category valid (`CategoryName`) and with
/// samples, at least two categories, every embedding of `dimension` finite values.
public struct TrainingSet: Sendable {
    /// One embedding and what it is.
    public struct Sample: Sendable {
        public var features: [Float]
        public var category: String
        /// The photo this view comes from (an item id, a file number).
        public var group: Int
        /// Whether this is the photo itself rather than a derived view (held-out scores use these).
        public var isOriginal: Bool

        public init(features: [Float], category: String, group: Int, isOriginal: Bool = true) {
            self.features = features
            self.category = category
            self.group = group
            self.isOriginal = isOriginal
        }
    }

    public let dimension: Int
    /// The categories, sorted; a sample's label is its category's position here.
    public let categories: [String]
    /// `[count, dimension]`, row-major.
    public let features: [Float]
    public let labels: [Int]
    public let groups: [Int]
    public let isOriginal: [Bool]

    public var count: Int { labels.count }

    /// - Parameter categories: the categories the set must cover (e.g. every folder of a
    ///   training directory); one without samples is an error. Nil: those of the samples.
    public init(dimension: Int, samples: [Sample], categories declared: [String]? = nil) throws(CollectionError) {
        guard !samples.isEmpty else {
            throw CollectionError(
                .insufficientTrainingData, "There are no items to learn from; register photos in at least two categories first.")
        }
        var names = Set<String>()
        for sample in samples {
            let name = try CategoryName.validated(sample.category)
            guard name == sample.category else {
                throw CollectionError(.invalidCategory, "The category '\(sample.category)' has surrounding white space; give it as '\(name)'.")
            }
            names.insert(name)
        }
        if let declared {
            for name in declared where !names.contains(name) {
                throw CollectionError(
                    .insufficientTrainingData, "The category '\(name)' has no photo; add photos to it or remove it.")
            }
        }
        guard names.count >= 2 else {
            throw CollectionError(
                .insufficientTrainingData,
                "Every item is in the category '\(names.first!)'; a classifier needs at least two categories — register items of another one.")
        }
        let categories = names.sorted()
        let position = Dictionary(uniqueKeysWithValues: categories.enumerated().map { ($1, $0) })
        var features: [Float] = []
        features.reserveCapacity(samples.count * dimension)
        for (number, sample) in samples.enumerated() {
            guard sample.features.count == dimension else {
                throw CollectionError(
                    .invalidFeatures, "Sample \(number) has \(sample.features.count) features, not the backbone's \(dimension); embed every photo with the same model.")
            }
            guard sample.features.allSatisfy(\.isFinite) else {
                throw CollectionError(.invalidFeatures, "Sample \(number) ('\(sample.category)') holds NaN or infinity; embed its photo again.")
            }
            features += sample.features
        }
        self.init(
            dimension: dimension, categories: categories, features: features, labels: samples.map { position[$0.category]! },
            groups: samples.map(\.group), isOriginal: samples.map(\.isOriginal))
    }

    private init(dimension: Int, categories: [String], features: [Float], labels: [Int], groups: [Int], isOriginal: [Bool]) {
        self.dimension = dimension
        self.categories = categories
        self.features = features
        self.labels = labels
        self.groups = groups
        self.isOriginal = isOriginal
    }

    /// The samples at `rows`, with the same categories (and label numbering).
    public func rows(_ rows: [Int]) -> TrainingSet {
        var features: [Float] = []
        features.reserveCapacity(rows.count * dimension)
        for row in rows { features += self.features[(row * dimension)..<((row + 1) * dimension)] }
        return TrainingSet(
            dimension: dimension, categories: categories, features: features, labels: rows.map { labels[$0] },
            groups: rows.map { groups[$0] }, isOriginal: rows.map { isOriginal[$0] })
    }

    /// The distinct photos of each category, in first-seen order.
    func groupsByCategory() -> [[Int]] {
        var seen = Set<Int>()
        var result = [[Int]](repeating: [], count: categories.count)
        for row in 0..<count where seen.insert(groups[row]).inserted {
            result[labels[row]].append(groups[row])
        }
        return result
    }

    /// The rows whose photo is in `groups`.
    func rows(inGroups groups: Set<Int>) -> [Int] {
        (0..<count).filter { groups.contains(self.groups[$0]) }
    }
}
