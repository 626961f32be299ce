/// Where every intermediate value lives in the workspace arena.
///
/// A value is live from the step that writes it to the last step that reads it (graph outputs to
/// the end). Values whose lifetimes overlap get disjoint ranges; the rest share memory. Offsets are
/// per sample: with batch `B`, slot `s` occupies `[offset·B, (offset + size)·B)`, which keeps the
/// ranges disjoint for every `B`.
struct BufferPlan: Sendable {
    /// Per-sample offset of each slot in the arena, or `nil` for a graph input (caller's memory).
    let offsets: [Int?]
    /// Arena floats per sample.
    let arenaSizePerSample: Int

    /// - Parameters:
    ///   - sizes: per-sample element count of each slot.
    ///   - external: slots that are graph inputs and need no arena memory.
    ///   - firstUse / lastUse: step indices (inclusive) during which each slot must be intact.
    init(sizes: [Int], external: Set<Int>, firstUse: [Int], lastUse: [Int]) {
        var offsets = [Int?](repeating: nil, count: sizes.count)
        var placed: [(offset: Int, size: Int, first: Int, last: Int)] = []
        // Largest first: big buffers claim low offsets, small ones fill the gaps between them.
        let order = sizes.indices.filter { !external.contains($0) }.sorted {
            sizes[$0] != sizes[$1] ? sizes[$0] > sizes[$1] : $0 < $1
        }
        var total = 0
        for slot in order {
            let conflicts = placed
                .filter { $0.first <= lastUse[slot] && firstUse[slot] <= $0.last }
                .sorted { $0.offset < $1.offset }
            var candidate = 0
            for other in conflicts {
                if candidate + sizes[slot] <= other.offset { break }
                candidate = max(candidate, other.offset + other.size)
            }
            offsets[slot] = candidate
            placed.append((candidate, sizes[slot], firstUse[slot], lastUse[slot]))
            total = max(total, candidate + sizes[slot])
        }
        self.offsets = offsets
        self.arenaSizePerSample = total
    }
}
