#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file replacement that readers never observe half-done: write a temporary sibling,
/// `fsync` it, then `rename` it over the destination (atomic within one file system). A process
/// killed midway leaves the old file intact and a temporary that `removeInterruptedWrites`
/// deletes later.
///
/// Temporaries are named `.NAME.tmp-PID-RANDOM` beside `NAME`: hidden, unique per process and
/// attempt, and traceable to the process that writes them.
package enum AtomicFile {
    /// The temporary sibling of `path` for one write by this process.
    static func temporaryPath(for path: String) -> String {
        let (directory, name) = split(path)
        return "\(directory)/\(temporaryPrefix(name))\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }

    private static func temporaryPrefix(_ name: String) -> String { ".\(name).tmp-" }

    private static func split(_ path: String) -> (directory: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let directory = String(path[..<slash])
        return (directory.isEmpty ? "/" : directory, String(path[path.index(after: slash)...]))
    }

    /// Writes the file at `path` through `body`, which receives a function that appends bytes.
    package static func write(
        to path: String, _ body: (_ append: (UnsafeRawBufferPointer) throws(FileSystemError) -> Void) throws(FileSystemError) -> Void
    ) throws(FileSystemError) {
        let temporary = temporaryPath(for: path)
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileSystemError(.create, temporary) }
        var finished = false
        defer {
            close(descriptor)
            if !finished { unlink(temporary) }
        }
        func append(_ bytes: UnsafeRawBufferPointer) throws(FileSystemError) {
            var done = 0
            while done < bytes.count {
                let n = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw FileSystemError(.write, temporary)
                }
                done += n
            }
        }
        try body(append)
        guard fsync(descriptor) == 0 else { throw FileSystemError(.sync, temporary) }
        guard rename(temporary, path) == 0 else { throw FileSystemError(.rename, path) }
        finished = true
    }

    /// Writes `bytes` as the file at `path`.
    package static func write(_ bytes: [UInt8], to path: String) throws(FileSystemError) {
        try write(to: path) { (append) throws(FileSystemError) in
            try bytes.withUnsafeBytes { buffer in Result { () throws(FileSystemError) in try append(buffer) } }.get()
        }
    }

    /// Deletes the temporaries an interrupted write left beside `path`, except those of a process
    /// still running, which may be writing right now. Returns the paths removed.
    @discardableResult
    package static func removeInterruptedWrites(beside path: String) -> [String] {
        let (directory, name) = split(path)
        let prefix = temporaryPrefix(name)
        guard let stream = opendir(directory) else { return [] }
        var names: [String] = []
        while let entry = readdir(stream) {
            let entryName = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if entryName.hasPrefix(prefix) { names.append(entryName) }
        }
        closedir(stream)
        var removed: [String] = []
        for entryName in names {
            let owner = entryName.dropFirst(prefix.count).split(separator: "-").first.flatMap { pid_t($0) }
            if let owner, owner != getpid(), kill(owner, 0) == 0 || errno == EPERM { continue }
            let entryPath = "\(directory)/\(entryName)"
            if unlink(entryPath) == 0 { removed.append(entryPath) }
        }
        return removed
    }

    /// Whether something exists at `path`.
    package static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Creates the directory at `path` and its missing parents (mode 0755); no error when it exists.
    package static func createDirectories(_ path: String) throws(FileSystemError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { throw FileSystemError(.createDirectory, prefix) }
        }
    }
}
