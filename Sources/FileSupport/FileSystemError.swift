#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed file-system call: what was being done, to which path, and the system's reason.
/// Callers wrap it into their own typed error (weights, index) with the advice that fits there.
package struct FileSystemError: Error, Sendable, CustomStringConvertible {
    package enum Operation: String, Sendable {
        case open, inspect, map, create, write, sync, rename, createDirectory
    }

    package let operation: Operation
    package let path: String
    /// `errno`, or 0 when the failure is not a system call's (a file of the wrong kind or size).
    package let errorNumber: Int32
    package let detail: String?
    /// The file's size when it was too short to map.
    package let shortFileSize: Int?

    package init(_ operation: Operation, _ path: String, errorNumber: Int32 = errno, detail: String? = nil, shortFileSize: Int? = nil) {
        self.operation = operation
        self.path = path
        self.errorNumber = errorNumber
        self.detail = detail
        self.shortFileSize = shortFileSize
    }

    /// The system's words for `errorNumber`, or `detail`.
    package var reason: String {
        detail ?? String(cString: strerror(errorNumber))
    }

    package var description: String { "cannot \(operation.rawValue) '\(path)': \(reason)" }
}
