import Foundation

/// Saving and mapping a `FlatIndex` (kind 1). Sections: `PARM` = [dimension, metric, count],
/// `VECS` = count × dimension `Float`, `IDS_` = count `UInt64`. See `Docs/IndexFormat.md`.
extension FlatIndex {
    public func save(to url: URL) throws(IndexError) {
        try lock.reading { () throws(IndexError) in
            let parameters: [UInt64] = [UInt64(dimension), UInt64(metric.rawValue), UInt64(ids.count)]
            try parameters.withUnsafeBytes { parm in
                var writer = IndexFileWriter(kind: .flat)
                writer.add("PARM", parm)
                writer.add("VECS", UnsafeRawBufferPointer(vectors.buffer))
                writer.add("IDS_", UnsafeRawBufferPointer(ids.buffer))
                return Result { () throws(IndexError) in try writer.write(to: url) }
            }.get()
        }
    }

    /// Maps the file at `url`: vectors and ids are used in place from the page cache (copied on
    /// the first modification); only the id → slot map is rebuilt. `verifyChecksums` reads every
    /// byte once to check the section checksums.
    public static func load(from url: URL, verifyChecksums: Bool = true) throws(IndexError) -> FlatIndex {
        let reader = try IndexFileReader(url: url, expecting: .flat, verifyChecksums: verifyChecksums)
        let parm = try reader.parameters(minimum: 3)
        let (dimension, metric, count) = try decodeCommon(parm, path: url.path)
        let vectors: Arena<Float> = try reader.arena("VECS", count: count * dimension)
        let ids: Arena<UInt64> = try reader.arena("IDS_", count: count)
        var slotOf = [UInt64: Int](minimumCapacity: count)
        for slot in 0..<count where slotOf.updateValue(slot, forKey: ids[slot]) != nil {
            throw IndexError(.corruptFile, "\(url.path): id \(ids[slot]) appears twice; the file is damaged.")
        }
        return FlatIndex(dimension: dimension, metric: metric, vectors: vectors, ids: ids, slotOf: slotOf)
    }
}

/// Decodes and bounds-checks `[dimension, metric, count]`, the first three `PARM` values of every kind.
func decodeCommon(_ parm: [UInt64], path: String) throws(IndexError) -> (dimension: Int, metric: Metric, count: Int) {
    let limit: UInt64 = 1 << 32
    guard parm[0] >= 1, parm[0] < 1 << 20, let metric = Metric(rawValue: UInt32(truncatingIfNeeded: parm[1])),
        parm[1] < limit, parm[2] < limit
    else {
        throw IndexError(.corruptFile, "\(path): parameters out of range (dimension \(parm[0]), metric \(parm[1]), count \(parm[2])); the file is damaged.")
    }
    return (Int(parm[0]), metric, Int(parm[2]))
}
