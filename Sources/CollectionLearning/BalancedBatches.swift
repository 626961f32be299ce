/// Class-balanced minibatches: each batch cycles through the categories (in an order shuffled
/// per epoch) and takes the next sample of each from that category's own shuffled queue, so a
/// category with 5 photos is seen as often as one with 500 (its photos repeat more often).
struct BalancedBatches {
    private var queues: [[Int]]
    private var positions: [Int]
    private let batchSize: Int
    /// Batches per epoch: as many as the training set fills.
    let batchesPerEpoch: Int

    init(labels: [Int], classCount: Int, batchSize: Int) {
        var queues = [[Int]](repeating: [], count: classCount)
        for (row, label) in labels.enumerated() { queues[label].append(row) }
        self.queues = queues
        self.positions = queues.map(\.count)  // exhausted: shuffled on first use
        self.batchSize = min(batchSize, labels.count)
        self.batchesPerEpoch = max(1, (labels.count + self.batchSize - 1) / self.batchSize)
    }

    /// One epoch of batches (rows of the training set).
    mutating func epoch<G: RandomNumberGenerator>(using generator: inout G) -> [[Int]] {
        let present = queues.indices.filter { !queues[$0].isEmpty }
        var batches: [[Int]] = []
        var order = present.shuffled(using: &generator)
        var slot = 0
        for _ in 0..<batchesPerEpoch {
            var batch: [Int] = []
            batch.reserveCapacity(batchSize)
            for _ in 0..<batchSize {
                if slot == order.count {
                    order.shuffle(using: &generator)
                    slot = 0
                }
                batch.append(next(of: order[slot], using: &generator))
                slot += 1
            }
            batches.append(batch)
        }
        return batches
    }

    private mutating func next<G: RandomNumberGenerator>(of category: Int, using generator: inout G) -> Int {
        if positions[category] == queues[category].count {
            queues[category].shuffle(using: &generator)
            positions[category] = 0
        }
        defer { positions[category] += 1 }
        return queues[category][positions[category]]
    }
}
