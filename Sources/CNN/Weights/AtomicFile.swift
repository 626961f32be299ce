#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file replacement that readers never observe half-done: write a temporary sibling,
/// `fsync` it, then `rename` it over the destination (atomic within one file system).
enum AtomicFile {
    static func store(_ bytes: [UInt8], at path: String) throws(WeightsError) {
        let temporaryPath = "\(path).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw failure("cannot create '\(temporaryPath)'", errorNumber: errno, hint: "check that the directory exists and is writable")
        }
        let writeError: Int32 = bytes.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += result
            }
            return fsync(descriptor) == 0 ? 0 : errno
        }
        close(descriptor)
        guard writeError == 0 else {
            unlink(temporaryPath)
            throw failure("cannot write '\(temporaryPath)'", errorNumber: writeError, hint: "check the free space of the file system")
        }
        guard rename(temporaryPath, path) == 0 else {
            let renameError = errno
            unlink(temporaryPath)
            throw failure("cannot rename '\(temporaryPath)' to '\(path)'", errorNumber: renameError, hint: "check the destination's permissions")
        }
    }

    /// Whether something exists at `path`.
    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Creates the directory at `path` and its missing parents (mode 0755); no error when it exists.
    static func createDirectories(_ path: String) throws(WeightsError) {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for component in path.split(separator: "/") {
            prefix += component + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST {
                throw failure("cannot create the directory '\(prefix)'", errorNumber: errno, hint: "check the permissions of its parent")
            }
        }
    }

    private static func failure(_ what: String, errorNumber: Int32, hint: String) -> WeightsError {
        WeightsError(.fileUnwritable, "\(what): \(String(cString: strerror(errorNumber))); \(hint)")
    }
}
