/// Searching an `IVFIndex`: rank the centroids by distance to the query, scan the nearest
/// `nprobe` lists exactly. Centroids and list rows are compared four at a time
/// (`DistanceKernel.four`: each slice of the query is loaded once for four rows).
///
/// Filters: an allowed-id set of at most `max(2048, 5 %)` of the stored count, or a filter that
/// lets through less than 5 % of a 256-entry sample, is answered by an exact scan of what it
/// allows. If the probed lists yield fewer than `k` results while more vectors exist, all lists
/// are scanned. Fewer than `k` results therefore means fewer exist.
extension IVFIndex {
    public func search(_ query: [Float], parameters: SearchParameters) throws(IndexError) -> [SearchResult] {
        try searchValidated(query, parameters)
    }

    public func search(batch queries: [Float], parameters: SearchParameters) throws(IndexError) -> [[SearchResult]] {
        try batchSearchValidated(queries, parameters)
    }

    /// Caller holds the read lock. Candidate slots are encoded as `list << 32 | position`.
    func searchLocked(_ query: UnsafePointer<Float>, _ p: SearchParameters) -> [SearchResult] {
        let stored = location.count
        guard stored > 0 else { return [] }
        let k = min(p.k, stored)
        let kernel = metric.kernel
        if let filter = p.filter, let exact = exactFilteredSearch(query, filter: filter, k: k) { return exact }
        let nprobe = min(p.nprobe ?? configuration.nprobe, lists.count)
        var nearestLists = TopK(k: nprobe)
        let centres = UnsafePointer(centroids.base)
        var c = 0
        while c < lists.count {
            let last = lists.count &- 1
            let four = kernel.four(
                query,
                (centres + c &* dimension, centres + min(c &+ 1, last) &* dimension,
                 centres + min(c &+ 2, last) &* dimension, centres + min(c &+ 3, last) &* dimension),
                dimension)
            for lane in 0..<min(4, lists.count &- c) {
                nearestLists.offer(Candidate(distance: four[lane], slot: UInt32(c &+ lane)))
            }
            c &+= 4
        }
        let probed = nearestLists.sorted().map { Int($0.slot) }
        var top = scan(query, lists: probed, k: k, filter: p.filter)
        if top.count < k {
            top = scan(query, lists: Array(0..<lists.count), k: k, filter: p.filter)
        }
        return top
    }

    /// Exact top-k over the given lists. Candidates that enter the heap are numbered in the order
    /// they are met (`Candidate.slot` indexes `hits`), since a list position is not global.
    private func scan(_ query: UnsafePointer<Float>, lists chosen: [Int], k: Int, filter: IDFilter?) -> [SearchResult] {
        let kernel = metric.kernel
        var top = TopK(k: k)
        var hits: [UInt64] = []
        for l in chosen {
            let ids = lists[l].ids.base
            let rows = lists[l].ids.count
            let vectors = UnsafePointer(lists[l].vectors.base)
            var r = 0
            if filter == nil {
                while r &+ 4 <= rows {
                    let row = vectors + r &* dimension
                    let four = kernel.four(query, (row, row + dimension, row + 2 &* dimension, row + 3 &* dimension), dimension)
                    for lane in 0..<4 where four[lane] <= top.bound {
                        top.offer(Candidate(distance: four[lane], slot: UInt32(hits.count)))
                        hits.append(ids[r &+ lane])
                    }
                    r &+= 4
                }
            }
            while r < rows {
                defer { r &+= 1 }
                if let filter, !filter.accepts(ids[r]) { continue }
                let d = kernel(query, vectors + r &* dimension, dimension)
                if d <= top.bound {
                    top.offer(Candidate(distance: d, slot: UInt32(hits.count)))
                    hits.append(ids[r])
                }
            }
        }
        return top.sorted().map { SearchResult(id: hits[Int($0.slot)], distance: metric.reported($0.distance)) }
    }

    /// The exact answer when `filter` is selective enough that scanning beats probing, else `nil`.
    private func exactFilteredSearch(_ query: UnsafePointer<Float>, filter: IDFilter, k: Int) -> [SearchResult]? {
        let stored = location.count
        let kernel = metric.kernel
        if case .allowed(let allowed) = filter {
            guard allowed.count <= max(HNSWIndex.exactAllowedMinimum, Int(HNSWIndex.exactFraction * Double(stored))) else { return nil }
            var top = TopK(k: k)
            var hits: [UInt64] = []
            for id in allowed {
                guard let place = location[id] else { continue }
                let row = lists[Int(place.list)].vectors.base + Int(place.position) * dimension
                top.offer(Candidate(distance: kernel(query, row, dimension), slot: UInt32(hits.count)))
                hits.append(id)
            }
            return top.sorted().map { SearchResult(id: hits[Int($0.slot)], distance: metric.reported($0.distance)) }
        }
        var sampled = 0
        var passed = 0
        let step = max(1, stored / 256)
        for list in lists {
            for r in stride(from: 0, to: list.ids.count, by: step) {
                sampled += 1
                if filter.accepts(list.ids[r]) { passed += 1 }
            }
        }
        guard sampled > 0, Double(passed) < HNSWIndex.exactFraction * Double(sampled) else { return nil }
        return scan(query, lists: Array(0..<lists.count), k: k, filter: filter)
    }
}
