import Foundation

/// One run of the real `colecionador` executable, to completion: its exit status and what it
/// wrote to standard output and standard error.
///
/// The executable is found as `ServerProcess` finds it; it runs in the checkout's root, where it
/// finds `Weights/`.
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
            throw TestSetupError("Cannot create the output files in \(directory.path).")
        }
        let output = try FileHandle(forWritingTo: outputURL)
        let error = try FileHandle(forWritingTo: errorURL)
        let process = Process()
        process.executableURL = try ServerProcess.executableURL()
        process.arguments = arguments
        process.currentDirectoryURL = TestEnvironment.root
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
                throw TestSetupError("colecionador \(arguments.joined(separator: " ")) ran longer than \(limit); it was stopped.")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return CommandLineRun(
            status: process.terminationStatus,
            standardOutput: (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "",
            standardError: (try? String(contentsOf: errorURL, encoding: .utf8)) ?? "")
    }
}
