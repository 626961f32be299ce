import Foundation

/// Searching an `HNSWIndex`: greedy descent through the upper levels, then a best-first search
/// of level 0 with `ef = max(parameters.ef ?? efSearch, k)`.
///
/// Filters: an allowed-id set of at most `max(2048, 5 %)` of the live count, or any filter that
/// lets through less than 5 % of a 256-slot sample, is answered by an exact scan of the vectors
/// it allows. Otherwise the graph is searched, traversing excluded and deleted nodes without
/// returning them; if that yields fewer than `k` results while more live vectors exist, the
/// exact scan answers instead. Either way, fewer than `k` results means fewer exist.
extension HNSWIndex {
    static let exactFraction = 0.05
    static let exactAllowedMinimum = 2048

    public func search(_ query: [Float], parameters: SearchParameters) throws(IndexError) -> [SearchResult] {
        try searchValidated(query, parameters)
    }

    public func search(batch queries: [Float], parameters: SearchParameters) throws(IndexError) -> [[SearchResult]] {
        try batchSearchValidated(queries, parameters)
    }

    /// Caller holds the read lock.
    func searchLocked(_ query: UnsafePointer<Float>, _ p: SearchParameters) -> [SearchResult] {
        let live = slotOf.count
        guard live > 0, entryPoint >= 0 else { return [] }
        let graph = graph()
        let k = min(p.k, live)
        let accepts: ((Int) -> Bool)?
        if let filter = p.filter {
            if let exact = exactFilteredSearch(query, filter: filter, k: k, graph: graph) { return exact }
            accepts = { graph.deleted[$0] == 0 && filter.accepts(graph.ids[$0]) }
        } else {
            accepts = freeSlots.isEmpty ? nil : { graph.deleted[$0] == 0 }
        }
        let ef = max(p.ef ?? configuration.efSearch, k)
        var top = TopK(k: k)
        searchBuffers.withBuffers(slots: slotCount) { buffers in
            var entry = Candidate(distance: graph.distance(query, entryPoint), slot: UInt32(entryPoint))
            for level in stride(from: maxLevel, to: 0, by: -1) {
                entry = graph.greedy(query, from: entry, level: level, locks: nil, buffers: buffers)
            }
            graph.searchLayer(query, entry: entry, ef: ef, level: 0, locks: nil, buffers: buffers, accepts: accepts)
            let found = buffers.results
            for i in 0..<found.count { top.offer(found.base[i]) }
        }
        if top.heap.count < k {
            let exact = ExactScan.nearest(
                to: query, in: graph.vectors, dimension: dimension, kernel: graph.kernel, slots: 0..<slotCount, k: k
            ) { accepts?($0) ?? (graph.deleted[$0] == 0) }
            top = exact
        }
        return results(top, graph: graph)
    }

    private func results(_ top: TopK, graph: HNSWGraph) -> [SearchResult] {
        top.sorted().map { SearchResult(id: graph.ids[Int($0.slot)], distance: metric.reported($0.distance)) }
    }

    /// The exact answer when `filter` is selective enough that scanning beats the graph, else `nil`.
    private func exactFilteredSearch(_ query: UnsafePointer<Float>, filter: IDFilter, k: Int, graph: HNSWGraph) -> [SearchResult]? {
        let live = slotOf.count
        if case .allowed(let allowed) = filter {
            guard allowed.count <= max(Self.exactAllowedMinimum, Int(Self.exactFraction * Double(live))) else { return nil }
            let slots = allowed.compactMap { slotOf[$0].map(Int.init) }
            let top = ExactScan.nearest(
                to: query, in: graph.vectors, dimension: dimension, kernel: graph.kernel, slots: slots, k: k
            ) { _ in true }
            return results(top, graph: graph)
        }
        let sampleSize = min(256, slotCount)
        let step = max(1, slotCount / sampleSize)
        var sampled = 0
        var passed = 0
        for slot in stride(from: 0, to: slotCount, by: step) where graph.deleted[slot] == 0 {
            sampled += 1
            if filter.accepts(graph.ids[slot]) { passed += 1 }
        }
        guard sampled > 0, Double(passed) < Self.exactFraction * Double(sampled) else { return nil }
        let top = ExactScan.nearest(
            to: query, in: graph.vectors, dimension: dimension, kernel: graph.kernel, slots: 0..<slotCount, k: k
        ) { graph.deleted[$0] == 0 && filter.accepts(graph.ids[$0]) }
        return results(top, graph: graph)
    }
}
