import Foundation

/// One run of the real `colecionador` executable, to completion: its exit status and what it
/// wrote to standard output and standard error.
///
/// `swift build --build-tests` builds every product into the directory that holds the test
/// bundle, so the executable is looked up next to the running test binary first, then in
/// `.build/debug` of the checkout (as `ServerTests`' `ServerProcess` does). It runs in the
/// checkout's root, where it finds `Weights/`.
struct CommandLineRun {
    let status: Int32
    let standardOutput: String
    let standardError: String

    /// Runs `colecionador ARGUMENTS`; kills it (and fails) after `limit`.
    static func colecionador(_ arguments: [String], limit: Duration = .seconds(600)) async throws -> CommandLineRun {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // Files rather than pipes: a full pipe would block the child while the test waits for it.
        let outputURL = directory.appendingPathComponent("stdout")
        let errorURL = directory.appendingPathComponent("stderr")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil),
            FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        else {
            throw CommandLineTestError("Cannot create the output files in \(directory.path).")
        }
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        let process = Process()
        process.executableURL = try executableURL()
        process.arguments = arguments
        process.currentDirectoryURL = CheckoutRoot.url
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? output.close()
        try? error.close()
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                process.waitUntilExit()
                throw CommandLineTestError("colecionador \(arguments.joined(separator: " ")) ran longer than \(limit); it was stopped.")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return CommandLineRun(
            status: process.terminationStatus,
            standardOutput: (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "")
    }

    /// `colecionador` beside the running test binary, else in the checkout's `.build/debug`.
    static func executableURL() throws -> URL {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var candidates = [testBinary.deletingLastPathComponent()]
        // macOS: the binary sits in PackageTests.xctest/Contents/MacOS; products beside the bundle.
        var directory = testBinary.deletingLastPathComponent()
        while directory.pathComponents.count > 1 {
            if directory.pathExtension == "xctest" { candidates.append(directory.deletingLastPathComponent()) }
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(CheckoutRoot.url.appendingPathComponent(".build/debug"))
        for candidate in candidates {
            let url = candidate.appendingPathComponent("colecionador")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw CommandLineTestError(
            "The colecionador executable is not built (looked in \(candidates.map(\.path).joined(separator: ", "))). "
                + "Run `swift build --build-tests` (or `make test`) before `swift test --skip-build`.")
    }
}

/// The checkout this test file belongs to.
enum CheckoutRoot {
    static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
}

struct CommandLineTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
