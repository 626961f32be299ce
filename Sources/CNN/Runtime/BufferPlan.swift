/// Where every value lives in a workspace: intermediate values in the arena, graph outputs in
/// their own region.
///
/// A value is live from the step that writes it to the last step that reads it. Values whose
/// lifetimes overlap get disjoint arena ranges; the rest share memory. Offsets are per sample:
/// with a group of `B` samples, slot `s` occupies `[offset·B, (offset + size)·B)`, which keeps the
/// ranges disjoint for every `B`.
///
/// Graph outputs are not in the arena: a batch runs through the network in groups of samples
/// (so one group's activations stay in cache), the arena is reused by every group, and each
/// group writes its outputs to its own samples' place in the output region.
struct BufferPlan: Sendable {
    /// Where a slot lives.
    enum Placement: Sendable, Equatable {
        /// A graph input: the caller's memory.
        case external
        /// Per-sample offset in the arena.
        case arena(Int)
        /// Per-sample offset in the output region.
        case output(Int)
    }

    let placements: [Placement]
    /// Arena floats per sample.
    let arenaSizePerSample: Int
    /// Output-region floats per sample.
    let outputSizePerSample: Int

    /// - Parameters:
    ///   - sizes: per-sample element count of each slot.
    ///   - external: slots that are graph inputs and need no memory.
    ///   - outputs: slots that are graph outputs.
    ///   - firstUse / lastUse: step indices (inclusive) during which each slot must be intact.
    init(sizes: [Int], external: Set<Int>, outputs: Set<Int>, firstUse: [Int], lastUse: [Int]) {
        var placements = [Placement](repeating: .external, count: sizes.count)
        var outputTotal = 0
        for slot in sizes.indices where outputs.contains(slot) && !external.contains(slot) {
            placements[slot] = .output(outputTotal)
            outputTotal += sizes[slot]
        }
        var placed: [(offset: Int, size: Int, first: Int, last: Int)] = []
        // Largest first: big buffers claim low offsets, small ones fill the gaps between them.
        let order = sizes.indices.filter { !external.contains($0) && !outputs.contains($0) }.sorted {
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
            placements[slot] = .arena(candidate)
            placed.append((candidate, sizes[slot], firstUse[slot], lastUse[slot]))
            total = max(total, candidate + sizes[slot])
        }
        self.placements = placements
        self.arenaSizePerSample = total
        self.outputSizePerSample = outputTotal
    }
}
