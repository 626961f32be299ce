import Foundation

/// Saving and mapping an `IVFIndex` (kind 2). `PARM` = [dimension, metric, count, nlist, nprobe,
/// training iterations, maximum points per list, seed, trained (0 or 1)]; sections `CENT`
/// (nlist × dimension `Float`, empty if untrained), `LOFF` (nlist + 1 `UInt64`: list `l` holds
/// rows `LOFF[l] ..< LOFF[l + 1]`), `LIDS` (count `UInt64`), `LVEC` (count × dimension `Float`),
/// lists stored one after another. See `Docs/IndexFormat.md`.
extension IVFIndex {
    public func save(to url: URL) throws(IndexError) {
        writerLock.lock()
        defer { writerLock.unlock() }
        try lock.reading { () throws(IndexError) in
            let parameters: [UInt64] = [
                UInt64(dimension), UInt64(metric.rawValue), UInt64(location.count), UInt64(configuration.nlist),
                UInt64(configuration.nprobe), UInt64(configuration.trainingIterations),
                UInt64(configuration.maximumPointsPerList), configuration.seed, lists.isEmpty ? 0 : 1,
            ]
            var offsets: [UInt64] = [0]
            var allIDs: [UInt64] = []
            var allVectors: [Float] = []
            allIDs.reserveCapacity(location.count)
            allVectors.reserveCapacity(location.count * dimension)
            for list in lists {
                allIDs.append(contentsOf: list.ids.buffer)
                allVectors.append(contentsOf: list.vectors.buffer)
                offsets.append(UInt64(allIDs.count))
            }
            let centres = Array(centroids.buffer.prefix(lists.isEmpty ? 0 : centroids.count))
            var writer = IndexFileWriter(kind: .ivf)
            let result = parameters.withUnsafeBytes { parm in
                centres.withUnsafeBytes { cent in
                    offsets.withUnsafeBytes { loff in
                        allIDs.withUnsafeBytes { lids in
                            allVectors.withUnsafeBytes { lvec in
                                writer.add("PARM", parm)
                                writer.add("CENT", cent)
                                writer.add("LOFF", loff)
                                writer.add("LIDS", lids)
                                writer.add("LVEC", lvec)
                                return Result { () throws(IndexError) in try writer.write(to: url) }
                            }
                        }
                    }
                }
            }
            try result.get()
        }
    }

    /// Maps the file at `url`: centroids and lists are used in place from the page cache (each
    /// list copied on its first modification); only the id → (list, position) map is rebuilt.
    public static func load(from url: URL, verifyChecksums: Bool = true) throws(IndexError) -> IVFIndex {
        let path = url.path
        let reader = try IndexFileReader(url: url, expecting: .ivf, verifyChecksums: verifyChecksums)
        let parm = try reader.parameters(minimum: 9)
        let (dimension, metric, count) = try decodeCommon(parm, path: path)
        guard parm[3] >= 1, parm[3] < 1 << 24, parm[4] < 1 << 24, parm[5] < 1 << 16, parm[6] < 1 << 24, parm[8] <= 1 else {
            throw IndexError(.corruptFile, "\(path): IVF parameters out of range; the file is damaged.")
        }
        let configuration = Configuration(
            nlist: Int(parm[3]), nprobe: Int(parm[4]), trainingIterations: Int(parm[5]),
            maximumPointsPerList: Int(parm[6]), seed: parm[7])
        let index: IVFIndex
        do {
            index = try IVFIndex(dimension: dimension, metric: metric, configuration: configuration)
        } catch {
            throw IndexError(.corruptFile, "\(path): stored parameters are invalid (\(error.message)); the file is damaged.")
        }
        let trained = parm[8] == 1
        let nlist = configuration.nlist
        index.centroids = try reader.arena("CENT", count: trained ? nlist * dimension : 0)
        let offsetArena: Arena<UInt64> = try reader.arena("LOFF", count: trained ? nlist + 1 : 1)
        let boundaries = offsetArena.buffer.map { Int(clamping: $0) }
        guard boundaries.last == count else {
            throw IndexError(.corruptFile, "\(path): list offsets end at \(boundaries.last ?? -1), not at the count \(count); the file is damaged.")
        }
        let idArenas: [Arena<UInt64>] = try reader.arenas("LIDS", boundaries: boundaries, rowLength: 1)
        let vectorArenas: [Arena<Float>] = try reader.arenas("LVEC", boundaries: boundaries, rowLength: dimension)
        if trained {
            index.lists = zip(idArenas, vectorArenas).map { List(ids: $0, vectors: $1) }
        }
        index.location.reserveCapacity(count)
        for (l, list) in index.lists.enumerated() {
            for r in 0..<list.ids.count where index.location.updateValue((UInt32(l), UInt32(r)), forKey: list.ids[r]) != nil {
                throw IndexError(.corruptFile, "\(path): id \(list.ids[r]) appears twice; the file is damaged.")
            }
        }
        return index
    }
}
