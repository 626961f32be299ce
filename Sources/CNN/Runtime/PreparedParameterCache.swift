/// A directory of prepared-parameter files (`PreparedParameterFile`) shared by every process that
/// plans networks from the same weights on one machine: the first process to plan a network
/// writes the file (temporary file + atomic rename), every later one maps it read-only and binds
/// its kernels to it, so the folded and packed parameters occupy the page cache once instead of
/// private memory in each process.
///
/// A file's name is `<name>-<32 hex digits>.prepared.safetensors`, the digits being the digest of
/// the `PreparedParameterKey` text, which the file also holds in full: a file is used only for
/// the exact weights (content digest), graph, parameter names, plan options, 1×1-kernel layout
/// (packed or OpenBLAS, as `KernelCalibration` chose in this process) and planner version it
/// was written for. Files written for other weights are not deleted.
public struct PreparedParameterCache: Sendable, Hashable {
    /// The directory; created (with its parents) when the first file is written.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    func path(name: String, key: PreparedParameterKey) -> String {
        let safeName = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        let separator = directory.hasSuffix("/") ? "" : "/"
        return "\(directory)\(separator)\(safeName)-\(key.digest).prepared.safetensors"
    }
}

/// Where a network's prepared parameters (folded, packed weights) live.
public enum PreparedParameterStatus: Sendable, Hashable, CustomStringConvertible {
    /// Planned in this process, no cache asked for: private memory.
    case planned
    /// Bound to the prepared-parameters file at `path`, mapped read-only and shared with every
    /// process mapping it; `written` when this process planned and wrote it (no valid file was
    /// there, or the file there was rejected: `replaced` says why).
    case mapped(path: String, written: Bool, replaced: String?)
    /// A cache was asked for but could not be used: the parameters are in this process's private
    /// memory. `reason` says why and what to do.
    case privateMemory(reason: String)

    /// Whether the parameters are shared through a file mapping.
    public var isShared: Bool {
        if case .mapped = self { return true }
        return false
    }

    public var description: String {
        switch self {
        case .planned:
            return "prepared parameters planned in private memory (no cache)"
        case .mapped(let path, let written, let replaced):
            let how = written ? (replaced.map { "planned and written (the previous file was rejected: \($0))" } ?? "planned and written") : "read"
            return "prepared parameters \(how), mapped shared from \(path)"
        case .privateMemory(let reason):
            return "prepared parameters in private memory: \(reason)"
        }
    }
}
