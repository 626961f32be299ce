import Foundation
import VectorIndex

/// libFuzzer entry point: loads the input as an index file of any kind (`IndexLoader`), then,
/// if it loads, searches it, reads a vector, adds and removes one, as a service would.
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

private func exercise(_ index: (any VectorIndex)?) {
    guard let index, index.dimension <= 4096 else { return }
    let query = (0..<index.dimension).map { Float($0 % 7) * 0.25 + 0.5 }
    if let results = try? index.search(query, k: 3) {
        precondition(results.count <= min(3, index.count), "search returned more results than asked or stored")
        for result in results {
            precondition(index.contains(result.id), "search returned an id the index does not hold")
            _ = index.vector(for: result.id)
        }
    }
    let newID = UInt64.max - 1
    if (try? index.add(ids: [newID], vectors: query)) != nil {
        precondition(index.contains(newID), "an added id is missing")
        _ = try? index.search(query, k: 2)
    }
    index.remove(ids: [newID])
}
