import Foundation

/// Saving and mapping an `HNSWIndex` (kind 3). `PARM` = [dimension, metric, slots, M,
/// efConstruction, efSearch, entry point + 1, top level + 1, upper-link words, seed,
/// compaction threshold as `Double` bits]; sections `VECS` (slots × dimension `Float`),
/// `IDS_` (slots `UInt64`), `LEVL` and `DELF` (slots `UInt8`: level, tombstone), `UOFF` (slots
/// `UInt32`), `LNK0` (slots × (1 + 2M) `UInt32`), `LNKU` (upper-link words `UInt32`).
/// See `Docs/IndexFormat.md`.
extension HNSWIndex {
    public func save(to url: URL) throws(IndexError) {
        writerLock.lock()
        defer { writerLock.unlock() }
        try lock.reading { () throws(IndexError) in
            let parameters: [UInt64] = [
                UInt64(dimension), UInt64(metric.rawValue), UInt64(slotCount), UInt64(configuration.m),
                UInt64(configuration.efConstruction), UInt64(configuration.efSearch), UInt64(entryPoint + 1),
                UInt64(maxLevel + 1), UInt64(upperLinks.count), configuration.seed,
                configuration.compactionThreshold.bitPattern,
            ]
            try parameters.withUnsafeBytes { parm in
                var writer = IndexFileWriter(kind: .hnsw)
                writer.add("PARM", parm)
                writer.add("VECS", UnsafeRawBufferPointer(vectors.buffer))
                writer.add("IDS_", UnsafeRawBufferPointer(ids.buffer))
                writer.add("LEVL", UnsafeRawBufferPointer(levels.buffer))
                writer.add("DELF", UnsafeRawBufferPointer(deleted.buffer))
                writer.add("UOFF", UnsafeRawBufferPointer(upperOffsets.buffer))
                writer.add("LNK0", UnsafeRawBufferPointer(level0Links.buffer))
                writer.add("LNKU", UnsafeRawBufferPointer(upperLinks.buffer))
                return Result { () throws(IndexError) in try writer.write(to: url) }
            }.get()
        }
    }

    /// Maps the file at `url`: vectors and links are searched in place from the page cache
    /// (copied on the first modification); only the id → slot map and the free-slot list are
    /// rebuilt. Every link is bounds-checked, so a damaged file cannot make a search read out of
    /// bounds. `verifyChecksums` reads every byte once to check the section checksums.
    public static func load(from url: URL, verifyChecksums: Bool = true) throws(IndexError) -> HNSWIndex {
        let path = url.path
        let reader = try IndexFileReader(url: url, expecting: .hnsw, verifyChecksums: verifyChecksums)
        let parm = try reader.parameters(minimum: 11)
        let (dimension, metric, slots) = try decodeCommon(parm, path: path)
        // Searches reserve ef candidates up front: an absurd stored ef must not become an
        // allocation of gigabytes on the first search or insert (found by Fuzz/fuzz-index).
        guard parm[4] <= maximumStoredEf, parm[5] <= maximumStoredEf else {
            throw IndexError(.corruptFile, "\(path): efConstruction \(parm[4]) or efSearch \(parm[5]) is above \(maximumStoredEf); the file is damaged.")
        }
        let configuration = Configuration(
            m: Int(clamping: parm[3]), efConstruction: Int(clamping: parm[4]), efSearch: Int(clamping: parm[5]),
            seed: parm[9], compactionThreshold: Double(bitPattern: parm[10]))
        let index: HNSWIndex
        do {
            index = try HNSWIndex(dimension: dimension, metric: metric, configuration: configuration)
        } catch {
            throw IndexError(.corruptFile, "\(path): stored parameters are invalid (\(error.message)); the file is damaged.")
        }
        let m = configuration.m
        let upperWords = Int(clamping: parm[8])
        guard parm[6] <= UInt64(slots), parm[7] <= UInt64(maximumLevel + 1), upperWords < 1 << 40,
            (slots == 0) == (parm[6] == 0)
        else {
            throw IndexError(.corruptFile, "\(path): entry point or level out of range; the file is damaged.")
        }
        index.vectors = try reader.arena("VECS", count: slots * dimension)
        index.ids = try reader.arena("IDS_", count: slots)
        index.levels = try reader.arena("LEVL", count: slots)
        index.deleted = try reader.arena("DELF", count: slots)
        index.upperOffsets = try reader.arena("UOFF", count: slots)
        index.level0Links = try reader.arena("LNK0", count: slots * (1 + 2 * m))
        index.upperLinks = try reader.arena("LNKU", count: upperWords)
        index.entryPoint = Int(parm[6]) - 1
        index.maxLevel = Int(parm[7]) - 1
        index.random = SplitMix64(seed: configuration.seed ^ UInt64(slots))
        try index.validateLoaded(path: path)
        return index
    }

    /// Largest efConstruction and efSearch a file may store (far above any useful value).
    static let maximumStoredEf: UInt64 = 1 << 20

    /// Checks every level, offset and link against the slot count and rebuilds the id map.
    private func validateLoaded(path: String) throws(IndexError) {
        let graph = graph()
        let slots = slotCount
        let m = configuration.m
        var wordsNeeded = 0
        // (offset, words) of every upper-link list, to check that no two lists overlap.
        var upperLists: [(offset: Int, words: Int)] = []
        slotOf.reserveCapacity(slots)
        for slot in 0..<slots {
            let level = Int(graph.levels[slot])
            guard level <= maxLevel, graph.deleted[slot] <= 1 else {
                throw IndexError(.corruptFile, "\(path): slot \(slot) has level \(level) above the top level \(maxLevel); the file is damaged.")
            }
            let offset = Int(graph.upperOffsets[slot])
            guard level == 0 || offset + level * (1 + m) <= upperLinks.count else {
                throw IndexError(.corruptFile, "\(path): slot \(slot)'s upper links lie outside LNKU; the file is damaged.")
            }
            wordsNeeded += level * (1 + m)
            if level > 0 { upperLists.append((offset, level * (1 + m))) }
            for l in 0...level {
                let list = graph.links(slot, l)
                let n = Int(list[0])
                guard n <= graph.capacity(l) else {
                    throw IndexError(.corruptFile, "\(path): slot \(slot) has \(n) links at level \(l), above \(graph.capacity(l)); the file is damaged.")
                }
                for i in 0..<n where Int(list[1 + i]) >= slots {
                    throw IndexError(.corruptFile, "\(path): slot \(slot) links to slot \(list[1 + i]) of \(slots); the file is damaged.")
                }
                // A search at level l reads the level-l links of every node it reaches, so a
                // link to a node below level l would read another node's list as links (found
                // by Fuzz/fuzz-index: out-of-bounds slots, a heap read after free).
                for i in 0..<n where Int(graph.levels[Int(list[1 + i])]) < l {
                    throw IndexError(.corruptFile, "\(path): slot \(slot) links at level \(l) to slot \(list[1 + i]), which has no level \(l); the file is damaged.")
                }
            }
            if graph.deleted[slot] == 0 {
                guard slotOf.updateValue(UInt32(slot), forKey: graph.ids[slot]) == nil else {
                    throw IndexError(.corruptFile, "\(path): id \(graph.ids[slot]) appears twice; the file is damaged.")
                }
            } else {
                freeSlots.append(UInt32(slot))
            }
        }
        guard wordsNeeded <= upperLinks.count, entryPoint < 0 || Int(graph.levels[entryPoint]) == maxLevel else {
            throw IndexError(.corruptFile, "\(path): link sections disagree with the node levels; the file is damaged.")
        }
        // Two nodes whose upper-link lists overlap would overwrite each other's link counts on the
        // next insert, and a search would then read past the lists (found by Fuzz/fuzz-index: a
        // heap read overflow after load, insert, search).
        upperLists.sort { $0.offset < $1.offset }
        var end = 0
        for list in upperLists {
            guard list.offset >= end else {
                throw IndexError(.corruptFile, "\(path): two nodes' upper links overlap at word \(list.offset) of LNKU; the file is damaged.")
            }
            end = list.offset + list.words
        }
    }
}
