import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock timing and process memory, for the benchmark modes.
enum Measurement {
    /// Seconds `body` takes.
    @inline(never)
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// Peak resident set size of this process, in bytes.
    static var peakResidentBytes: Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    /// Keeps a value alive so the optimiser cannot drop the work that made it.
    @inline(never)
    static func blackHole<T>(_ value: T) {
        withExtendedLifetime(value) {}
    }
}
