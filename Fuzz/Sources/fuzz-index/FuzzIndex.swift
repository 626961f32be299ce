import Foundation
import VectorIndex

/// libFuzzer entry point: loads the input as an index file of any kind (`IndexLoader`), then,
/// if it loads, uses it as a service or a library user would (`exercise`).
///
/// Every file carries FNV-1a checksums over its header and sections (`Docs/IndexFormat.md`),
/// which random mutations almost never keep valid. So each input is loaded twice: once as it
/// is, and once after this harness rewrote the section checksums it can locate, the declared
/// file length and the header checksum, so that mutations reach the parameter, section and
/// graph validation behind them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndex(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    exercise(load(bytes))
    exercise(load(IndexChecksumRepair.repaired(bytes)))
    return 0
}

/// Makes the seed corpus with the library's own writer when `FUZZ_INDEX_MAKE_SEEDS` names a
/// directory, then exits; otherwise does nothing and fuzzing starts.
@_cdecl("LLVMFuzzerInitialize")
public func fuzzIndexInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    // getenv rather than ProcessInfo, whose cached environment LeakSanitizer reports at exit.
    guard let directory = getenv("FUZZ_INDEX_MAKE_SEEDS") else { return 0 }
    do {
        try IndexSeeds.write(to: URL(fileURLWithPath: String(cString: directory)))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("Cannot write index seeds: \(error)\n".utf8))
        exit(1)
    }
}

private let scratchURL = FileManager.default.temporaryDirectory
    .appendingPathComponent("colecionador-fuzz-index-\(getpid()).colx")

private func load(_ bytes: [UInt8]) -> (any VectorIndex)? {
    writeScratch(bytes)
    return try? IndexLoader.load(from: scratchURL)
}

/// Plain `open`/`write`: Foundation's file writing calls `fsync`, which on a busy disk took
/// 20 s once and stopped a long run with a libFuzzer timeout that was not the loader's.
private func writeScratch(_ bytes: [UInt8]) {
    let descriptor = open(scratchURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard descriptor >= 0 else { fatalError("cannot open \(scratchURL.path)") }
    defer { close(descriptor) }
    bytes.withUnsafeBytes { buffer in
        var written = 0
        while written < buffer.count {
            let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            guard result > 0 else { fatalError("cannot write \(scratchURL.path)") }
            written += result
        }
    }
}

/// Runs what a service or a library user does with a loaded index, checking the documented
/// guarantees of each call: plain, filtered and batch searches, reading vectors, add, upsert
/// (the service's way of registering an item again), remove, and for HNSW a compaction, which
/// rebuilds the graph from the file's vectors.
private func exercise(_ index: (any VectorIndex)?) {
    guard let index, index.dimension <= 4096 else { return }
    let query = (0..<index.dimension).map { Float($0 % 7) * 0.25 + 0.5 }
    let found = (try? index.search(query, k: 3)) ?? []
    precondition(found.count <= min(3, index.count), "search returned more results than asked or stored")
    for result in found {
        precondition(index.contains(result.id), "search returned an id the index does not hold")
        _ = index.vector(for: result.id)
    }
    if let first = found.first {
        // Small enough for the exact scan of the allowed ids.
        let allowed: Set<UInt64> = [first.id, 12_345]
        if let results = try? index.search(query, parameters: SearchParameters(k: 2, filter: .allowed(allowed))) {
            precondition(results.allSatisfy { allowed.contains($0.id) }, "a filtered search returned an id outside the allowed set")
        }
        if let results = try? index.search(query, parameters: SearchParameters(k: 3, filter: .excluded([first.id]))) {
            precondition(!results.contains { $0.id == first.id }, "a filtered search returned an excluded id")
        }
    }
    if let batch = try? index.search(batch: query + query.reversed(), parameters: SearchParameters(k: 2)) {
        precondition(batch.count == 2, "a batch search of 2 queries returned \(batch.count) result lists")
    }

    let newID = UInt64.max - 1
    if (try? index.add(ids: [newID], vectors: query)) != nil {
        precondition(index.contains(newID), "an added id is missing")
        _ = try? index.search(query, k: 2)
    }
    if let first = found.first, (try? index.upsert(ids: [first.id], vectors: query.map { 1 - $0 })) != nil {
        precondition(index.contains(first.id), "an upserted id is missing")
    }
    index.remove(ids: [newID])
    precondition(!index.contains(newID), "a removed id is still there")
    if let hnsw = index as? HNSWIndex {
        let count = hnsw.count
        hnsw.compact()
        precondition(hnsw.count == count, "compaction changed the number of vectors from \(count) to \(hnsw.count)")
        _ = try? hnsw.search(query, k: 3)
    }
}
