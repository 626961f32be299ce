import Foundation

/// Approximate search by inverted lists (FAISS's `IndexIVFFlat`): a coarse quantiser of `nlist`
/// centroids, trained by k-means; each vector is stored, uncompressed, in the list of its nearest
/// centroid; a search scans the `nprobe` lists whose centroids are nearest to the query.
///
/// Layout: centroids `nlist × dimension` `Float`; per list, a row-major `Float` arena of its
/// vectors and a parallel `UInt64` arena of their ids; an id → (list, position) map. Removal
/// moves the list's last entry into the hole.
///
/// Training is explicit: `train(on:)` must run before `add` (`isTrained`). When the data drifts
/// away from the training sample, call `retrain(sampleSize:)`: it retrains the centroids on a
/// sample of the stored vectors and moves every vector to its new list. Training and
/// reassignment hold the write lock throughout.
///
/// Concurrency: searches take a read lock and run in parallel; writers are serialised and hold
/// the write lock only while applying a call (list assignment is computed beforehand).
public final class IVFIndex: VectorIndex, IndexCore, @unchecked Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Number of inverted lists; about √N for N vectors is a good start.
        public var nlist: Int
        /// Lists scanned by default, when `SearchParameters.nprobe` is `nil`.
        public var nprobe: Int
        /// Lloyd iterations of training (FAISS's IVF default is 10).
        public var trainingIterations: Int
        /// Training uses at most this many sample points per list (FAISS's default is 256).
        public var maximumPointsPerList: Int
        public var seed: UInt64

        public init(nlist: Int, nprobe: Int = 10, trainingIterations: Int = 10, maximumPointsPerList: Int = 256, seed: UInt64 = 1234) {
            self.nlist = nlist
            self.nprobe = nprobe
            self.trainingIterations = trainingIterations
            self.maximumPointsPerList = maximumPointsPerList
            self.seed = seed
        }
    }

    struct List {
        var ids = Arena<UInt64>()
        var vectors = Arena<Float>()
    }

    public let dimension: Int
    public let metric: Metric
    public let configuration: Configuration

    let lock = ReadWriteLock()
    let writerLock = NSLock()
    var centroids = Arena<Float>()
    var lists: [List] = []
    var location: [UInt64: (list: UInt32, position: UInt32)] = [:]

    public init(dimension: Int, metric: Metric = .l2, configuration: Configuration) throws(IndexError) {
        guard dimension >= 1 else {
            throw IndexError(.invalidParameter, "dimension is \(dimension); an index needs vectors of at least 1 float.")
        }
        guard configuration.nlist >= 1, configuration.nprobe >= 1, configuration.trainingIterations >= 0,
            configuration.maximumPointsPerList >= 1
        else {
            throw IndexError(.invalidParameter, "nlist, nprobe and maximumPointsPerList must be ≥ 1 (e.g. nlist ≈ √N, nprobe 10).")
        }
        self.dimension = dimension
        self.metric = metric
        self.configuration = configuration
    }

    public var isTrained: Bool { lock.reading { !lists.isEmpty } }
    public var count: Int { lock.reading { location.count } }
    public var storageBytes: Int {
        lock.reading { centroids.count * 4 + lists.reduce(0) { $0 + $1.ids.count * 8 + $1.vectors.count * 4 } }
    }

    public func contains(_ id: UInt64) -> Bool { lock.reading { location[id] != nil } }

    /// Number of vectors in each list (after training), to judge balance.
    public var listSizes: [Int] { lock.reading { lists.map(\.ids.count) } }

    public func vector(for id: UInt64) -> [Float]? {
        lock.reading {
            guard let place = location[id] else { return nil }
            let list = lists[Int(place.list)]
            return Array(UnsafeBufferPointer(start: list.vectors.base + Int(place.position) * dimension, count: dimension))
        }
    }

    // MARK: Training

    /// Trains the coarse quantiser on `sample` (row-major, at least `nlist` vectors; at most
    /// `nlist × maximumPointsPerList` are used, chosen at random). Vectors already stored are
    /// moved to the lists of the new centroids.
    public func train(on sample: [Float]) throws(IndexError) {
        let points = try VectorInput.validated(sample, dimension: dimension, metric: metric, what: "training vectors")
        let n = points.count / dimension
        guard n >= configuration.nlist else {
            throw IndexError(.invalidParameter, "\(n) training vectors for \(configuration.nlist) lists; pass at least nlist (ideally 30–256 × nlist) vectors.")
        }
        writerLock.lock()
        defer { writerLock.unlock() }
        let centres = computeCentroids(points, n: n)
        lock.writing { install(centroids: centres) }
    }

    /// Retrains on a random sample of `sampleSize` stored vectors (default: `nlist ×
    /// maximumPointsPerList`) and reassigns every stored vector. Use when the data has drifted.
    public func retrain(sampleSize: Int? = nil) throws(IndexError) {
        writerLock.lock()
        defer { writerLock.unlock() }
        let stored = lock.reading { allVectors() }
        let n = stored.count / dimension
        guard n >= configuration.nlist else {
            throw IndexError(.invalidParameter, "\(n) stored vectors for \(configuration.nlist) lists; add more vectors before retraining.")
        }
        var random = SplitMix64(seed: configuration.seed ^ UInt64(n))
        let wanted = min(n, sampleSize ?? configuration.nlist * configuration.maximumPointsPerList)
        let sample = Self.sample(stored, n: n, dimension: dimension, count: wanted, random: &random)
        let centres = computeCentroids(sample, n: sample.count / dimension)
        lock.writing { install(centroids: centres) }
    }

    private func computeCentroids(_ points: [Float], n: Int) -> [Float] {
        var random = SplitMix64(seed: configuration.seed)
        let limit = configuration.nlist * configuration.maximumPointsPerList
        let training = n > limit ? Self.sample(points, n: n, dimension: dimension, count: limit, random: &random) : points
        return KMeans.train(
            points: training, dimension: dimension, k: configuration.nlist, iterations: configuration.trainingIterations,
            seed: configuration.seed)
    }

    /// A uniform sample of `count` distinct rows (partial Fisher–Yates).
    private static func sample(_ points: [Float], n: Int, dimension: Int, count: Int, random: inout SplitMix64) -> [Float] {
        var order = Array(0..<n)
        var out = [Float]()
        out.reserveCapacity(count * dimension)
        for i in 0..<count {
            let j = i + Int(random.next() % UInt64(n - i))
            order.swapAt(i, j)
            out.append(contentsOf: points[order[i] * dimension..<(order[i] + 1) * dimension])
        }
        return out
    }

    /// All stored vectors and their ids, list by list. Caller holds a lock.
    private func allVectors() -> [Float] {
        var out = [Float]()
        out.reserveCapacity(location.count * dimension)
        for list in lists { out.append(contentsOf: list.vectors.buffer) }
        return out
    }

    private func install(centroids centres: [Float]) {
        let storedIDs = lists.flatMap { Array($0.ids.buffer) }
        let storedVectors = allVectors()
        centroids = Arena(capacity: centres.count)
        centres.withUnsafeBufferPointer { centroids.append(contentsOf: $0) }
        lists = (0..<configuration.nlist).map { _ in List() }
        location = [:]
        if !storedIDs.isEmpty {
            let assignment = assignLists(storedVectors)
            append(ids: storedIDs[...], vectors: storedVectors, lists: assignment)
        }
    }

    // MARK: Writing

    public func add(ids newIDs: [UInt64], vectors input: [Float]) throws(IndexError) {
        try storeValidated(ids: newIDs, vectors: input, replacing: false)
    }

    public func upsert(ids newIDs: [UInt64], vectors input: [Float]) throws(IndexError) {
        try storeValidated(ids: newIDs, vectors: input, replacing: true)
    }

    func store(ids newIDs: [UInt64], validated input: [Float], replacing: Bool) throws(IndexError) {
        writerLock.lock()
        defer { writerLock.unlock() }
        let assignment = try lock.reading { () throws(IndexError) -> [Int] in
            guard !lists.isEmpty else {
                throw IndexError(.notTrained, "the IVF index is not trained; call train(on:) with a sample of vectors first.")
            }
            if !replacing, let existing = newIDs.first(where: { location[$0] != nil }) {
                throw IndexError(.duplicateID, "id \(existing) is already in the index; use upsert to replace its vector.")
            }
            return assignLists(input)
        }
        lock.writing {
            if replacing { removeLocked(newIDs) }
            append(ids: newIDs[...], vectors: input, lists: assignment)
        }
    }

    private func append(ids newIDs: ArraySlice<UInt64>, vectors: [Float], lists assignment: [Int]) {
        vectors.withUnsafeBufferPointer { source in
            for (row, id) in newIDs.enumerated() {
                let l = assignment[row]
                location[id] = (UInt32(l), UInt32(lists[l].ids.count))
                lists[l].ids.append(id)
                lists[l].vectors.append(contentsOf: UnsafeBufferPointer(rebasing: source[row * dimension..<(row + 1) * dimension]))
            }
        }
    }

    /// The nearest list of every row (by the index metric); caller holds a lock and the index is trained.
    private func assignLists(_ vectors: [Float]) -> [Int] {
        let n = vectors.count / dimension
        var assignment = [Int](repeating: 0, count: n)
        let nlist = lists.count
        let kernel = metric.kernel
        let centres = UnsafePointer(centroids.base)
        vectors.withUnsafeBufferPointer { v in
            assignment.withUnsafeMutableBufferPointer { out in
                let (v, out) = (v, out)
                parallelRanges(count: n, minimumPerChunk: 64) { range in
                    for i in range {
                        var best = 0
                        var bestDistance = Float.infinity
                        for c in 0..<nlist {
                            let d = kernel(v.baseAddress! + i * dimension, centres + c * dimension, dimension)
                            if d < bestDistance {
                                bestDistance = d
                                best = c
                            }
                        }
                        out[i] = best
                    }
                }
            }
        }
        return assignment
    }

    @discardableResult
    public func remove(ids doomed: [UInt64]) -> Int {
        writerLock.lock()
        defer { writerLock.unlock() }
        return lock.writing { removeLocked(doomed) }
    }

    @discardableResult
    private func removeLocked(_ doomed: [UInt64]) -> Int {
        var removed = 0
        for id in doomed {
            guard let place = location.removeValue(forKey: id) else { continue }
            let l = Int(place.list)
            let position = Int(place.position)
            let last = lists[l].ids.count - 1
            if position != last {
                let moved = lists[l].ids[last]
                lists[l].ids[position] = moved
                lists[l].vectors.move(from: last * dimension, to: position * dimension, count: dimension)
                location[moved] = (place.list, UInt32(position))
            }
            lists[l].ids.removeLast(1)
            lists[l].vectors.removeLast(dimension)
            removed += 1
        }
        return removed
    }
}
