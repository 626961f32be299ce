#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole regular file mapped read-only (`PROT_READ`, `MAP_SHARED`): every process mapping the
/// same file shares one copy through the page cache. Unmapped when the last owner lets go.
///
/// Files are replaced by atomic rename (`AtomicFile`), never rewritten in place: a file truncated
/// under a mapping would raise SIGBUS on the lost pages.
package final class ReadOnlyMapping: @unchecked Sendable {
    // @unchecked: never written after `init`.
    package let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path`; a file of fewer than `minimumCount` bytes (an empty file cannot
    /// be mapped at all) fails with `detail` saying its size.
    package init(path: String, minimumCount: Int = 1) throws(FileSystemError) {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileSystemError(.open, path) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw FileSystemError(.inspect, path) }
        guard (status.st_mode & S_IFMT) == S_IFREG else {
            throw FileSystemError(.map, path, errorNumber: 0, detail: "not a regular file")
        }
        let size = Int(status.st_size)
        guard size >= max(1, minimumCount) else {
            throw FileSystemError(
                .map, path, errorNumber: 0, detail: "the file has \(size) bytes, fewer than \(max(1, minimumCount))", shortFileSize: size)
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_SHARED, descriptor, 0), address != MAP_FAILED else {
            throw FileSystemError(.map, path)
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }
}
