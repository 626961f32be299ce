import Dispatch
import Foundation

/// Runs `body(chunk)` for `chunks` chunks on all cores (Dispatch's `concurrentPerform`); returns
/// when every chunk is done. This file is the one place where the module starts parallel work.
func parallelLoop(chunks: Int, _ body: (Int) -> Void) {
    if chunks <= 1 {
        if chunks == 1 { body(0) }
        return
    }
    withoutActuallyEscaping(body) { escapable in
        let work = SendableWork(body: escapable)
        DispatchQueue.concurrentPerform(iterations: chunks) { work.body($0) }
    }
}

/// Hands a closure to Dispatch's workers. Callers guarantee that parallel chunks touch disjoint
/// data or synchronise themselves.
private struct SendableWork: @unchecked Sendable {
    let body: (Int) -> Void
}

/// Splits `0..<count` into contiguous ranges (about four per core, each at least
/// `minimumPerChunk` long) and processes them in parallel.
func parallelRanges(count: Int, minimumPerChunk: Int = 1, _ body: (Range<Int>) -> Void) {
    guard count > 0 else { return }
    let cores = ProcessInfo.processInfo.activeProcessorCount
    let chunks = max(1, min(cores * 4, count / max(1, minimumPerChunk)))
    let size = (count + chunks - 1) / chunks
    parallelLoop(chunks: (count + size - 1) / size) { chunk in
        let start = chunk * size
        body(start..<min(count, start + size))
    }
}

/// Runs `search` on each of `n` validated queries (row-major in `queries`) in parallel.
func parallelBatch(
    _ queries: [Float], dimension: Int, _ search: (UnsafePointer<Float>) -> [SearchResult]
) -> [[SearchResult]] {
    let n = queries.count / dimension
    var results = [[SearchResult]](repeating: [], count: n)
    results.withUnsafeMutableBufferPointer { out in
        queries.withUnsafeBufferPointer { q in
            let out = out
            parallelRanges(count: n) { range in
                for i in range { out[i] = search(q.baseAddress! + i * dimension) }
            }
        }
    }
    return results
}
