import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A whole file mapped read-only and shared (`mmap(PROT_READ, MAP_SHARED)`): every process that
/// loads the same index file shares one copy in the page cache. Unmapped when the last `Arena`
/// viewing it goes away.
final class MappedFile: @unchecked Sendable {
    let bytes: UnsafeRawBufferPointer

    init(path: String) throws(IndexError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw IndexError(.io, "Cannot open \(path): \(String(cString: strerror(errno))). Check the path and permissions.")
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            throw IndexError(.io, "Cannot stat \(path): \(String(cString: strerror(errno))).")
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            throw IndexError(.truncatedFile, "\(path) is empty; it is not a saved index.")
        }
        guard let address = mmap(nil, size, PROT_READ, MAP_SHARED, fd, 0), address != MAP_FAILED else {
            throw IndexError(.io, "Cannot mmap \(path): \(String(cString: strerror(errno))).")
        }
        bytes = UnsafeRawBufferPointer(start: address, count: size)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes.baseAddress), bytes.count)
    }
}
