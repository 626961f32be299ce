import Foundation
import Synchronization

/// The real `colecionador serve` executable as a child process on 127.0.0.1 with a port of
/// the system's choosing, its output (stdout and stderr) collected in a log file.
///
/// `swift build --build-tests` builds every product into the directory that holds the test
/// bundle, so the executable is looked up next to the running test binary first, then in
/// `.build/debug` of the checkout.
final class ServerProcess: Sendable {
    let port: Int
    let logURL: URL
    private let process: ProcessBox

    /// Starts `colecionador serve ARGUMENTS --host 127.0.0.1 --port 0` in the checkout's root
    /// (where it finds `Weights/`) and waits until it logs that it serves.
    ///
    /// The process inherits the test's environment less any `OTEL_*` variable (a developer's
    /// collector settings must not turn tracing on in every test), plus `environment`.
    static func start(
        _ arguments: [String], log logURL: URL, environment: [String: String] = [:], timeout: Duration = .seconds(180)
    ) async throws -> ServerProcess {
        let executable = try executableURL()
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw TestSetupError("Cannot create the server log \(logURL.path).")
        }
        let output = try FileHandle(forWritingTo: logURL)
        let process = Process()
        process.executableURL = executable
        process.arguments = ["serve"] + arguments + ["--host", "127.0.0.1", "--port", "0"]
        process.currentDirectoryURL = TestEnvironment.root
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OTEL_") }
            .merging(environment) { _, given in given }
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try? output.close()
        let box = ProcessBox(process)
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let log = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
            if let port = servingPort(in: log) { return ServerProcess(port: port, logURL: logURL, process: box) }
            guard process.isRunning else {
                throw TestSetupError("colecionador exited with status \(process.terminationStatus) before serving:\n\(log)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        box.kill()
        throw TestSetupError("colecionador did not report its port within \(timeout):\n\((try? String(contentsOf: logURL, encoding: .utf8)) ?? "")")
    }

    private init(port: Int, logURL: URL, process: ProcessBox) {
        self.port = port
        self.logURL = logURL
        self.process = process
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }
    var isRunning: Bool { process.isRunning }

    /// SIGKILL: the process ends at once, mid-request, without any cleanup. Returns when it
    /// has exited.
    func kill() async {
        process.kill()
        await waitForExit()
    }

    /// SIGTERM: graceful shutdown (requests in flight finish, the snapshot is saved). Returns
    /// the exit status.
    func terminate() async -> Int32 {
        process.signal(SIGTERM)
        await waitForExit()
        return process.terminationStatus
    }

    /// Waits for the process to exit; after 5 minutes it is killed (and the test sees its status).
    private func waitForExit() async {
        do {
            try await Waiting.until("the server process exits") { !process.isRunning }
        } catch {
            process.signal(SIGKILL)
            while process.isRunning { try? await Task.sleep(for: .milliseconds(10)) }
        }
    }

    /// The port of the "serving" log line: `port=N` in swift-log's stream handler's text
    /// (metadata as `key=value`), `"port":"N"` with `--log-format json`.
    static func servingPort(in log: String) -> Int? {
        for line in log.split(separator: "\n") {
            if line.hasSuffix("serving"), let range = line.range(of: "port=") {
                return Int(line[range.upperBound...].prefix { $0.isNumber })
            }
            if line.hasPrefix("{"), let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any],
                object["message"] as? String == "serving", let port = (object["port"] as? String).flatMap({ Int($0) })
            {
                return port
            }
        }
        return nil
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
        candidates.append(TestEnvironment.root.appendingPathComponent(".build/debug"))
        for candidate in candidates {
            let url = candidate.appendingPathComponent("colecionador")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw TestSetupError(
            "The colecionador executable is not built (looked in \(candidates.map(\.path).joined(separator: ", "))). "
                + "Run `swift build --build-tests` (or `make test`) before `swift test --skip-build`.")
    }
}

/// `Process` behind a lock: it is not `Sendable`, and the test reads it from several tasks.
private final class ProcessBox: Sendable {
    private let process: Mutex<Process>

    init(_ process: Process) { self.process = Mutex(process) }

    var isRunning: Bool { process.withLock { $0.isRunning } }
    var terminationStatus: Int32 { process.withLock { $0.terminationStatus } }

    func signal(_ signal: Int32) {
        process.withLock { process in
            if process.isRunning { _ = Foundation.kill(process.processIdentifier, signal) }
        }
    }

    func kill() { signal(SIGKILL) }
}
