import Classifier
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
import Server
import ServiceLifecycle

/// Which database a test server stores into.
enum TestDatabase: Sendable, CustomStringConvertible {
    /// An SQLite file (a new one in a temporary directory unless a path is given).
    case sqlite(String)
    /// A PostgreSQL database URL.
    case postgres(String)

    var description: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }

    /// A fresh, empty database of `kind` ("sqlite" or "postgresql").
    static func fresh(_ kind: String) async throws -> TestDatabase {
        if kind == "sqlite" {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return .sqlite(directory.appendingPathComponent("test.sqlite").path)
        }
        guard let admin = TestEnvironment.postgresURL else {
            throw TestSetupError("COLECIONADOR_TEST_POSTGRES_URL is not set; .ci/run starts PostgreSQL and sets it.")
        }
        let name = "colecionador_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        try await PostgresAdmin.execute("CREATE DATABASE \(name)", url: admin)
        var components = URLComponents(string: admin)!
        components.path = "/\(name)"
        return .postgres(components.string!)
    }

    /// Runs `body` on a fresh database of `kind`, dropped afterwards whatever happens.
    static func with<T: Sendable>(_ kind: String, _ body: (TestDatabase) async throws -> T) async throws -> T {
        let database = try await fresh(kind)
        do {
            let value = try await body(database)
            await database.drop()
            return value
        } catch {
            await database.drop()
            throw error
        }
    }

    /// Removes the database (files or PostgreSQL database).
    func drop() async {
        switch self {
        case .sqlite(let path):
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
        case .postgres(let url):
            guard let admin = TestEnvironment.postgresURL, let name = URLComponents(string: url)?.path.dropFirst() else { return }
            try? await PostgresAdmin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)", url: admin)
        }
    }
}

struct TestSetupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs one statement on the PostgreSQL admin URL (database creation and removal).
enum PostgresAdmin {
    static func execute(_ sql: String, url: String) async throws {
        let store = try PostgresStore(url: url, logger: Logger(label: "test-admin"))
        let running = Task { await store.client.run() }
        defer { running.cancel() }
        try await store.client.query(PostgresQuery(unsafeSQL: sql))
    }
}

/// A real server instance on 127.0.0.1 with an ephemeral port, over a real database, and an
/// HTTP client connected to it over loopback.
enum TestServer {
    /// Starts a server on `database`, runs `body` with a client, then shuts the server down
    /// gracefully (saving the index snapshot when configured) and closes the store.
    static func run<T: Sendable>(
        _ database: TestDatabase, registry: ModelRegistry? = nil, logger: Logger = TestServer.quietLogger,
        configure: (inout ServiceConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestHTTP) async throws -> T
    ) async throws -> T {
        var configuration = ServiceConfiguration()
        configure(&configuration)
        let registry = try registry ?? TestEnvironment.registry()
        let store: any Store
        var support: Task<Void, Never>?
        switch database {
        case .sqlite(let path):
            store = try SQLiteStore(path: path)
        case .postgres(let url):
            let postgres = try PostgresStore(url: url, logger: logger)
            support = Task { await postgres.client.run() }
            store = postgres
        }
        defer { support?.cancel() }
        let server = try await ColecionadorServer.make(configuration: configuration, registry: registry, store: store, logger: logger)
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let application = server.application(host: "127.0.0.1", port: 0) { port in portContinuation.yield(port) }
        let serviceGroup = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let serving = Task { try await serviceGroup.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw TestSetupError("the server did not report its port") }
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120)))
        client.connect()
        let result: Result<T, any Error>
        do {
            let http = TestHTTP(client: client, port: port, server: server, shutdown: { await serviceGroup.triggerGracefulShutdown() })
            result = .success(try await body(http))
        } catch {
            result = .failure(error)
        }
        try? await client.shutdown()
        await serviceGroup.triggerGracefulShutdown()
        _ = await serving.result
        await server.shutdown()
        return try result.get()
    }

    static let quietLogger: Logger = {
        var logger = Logger(label: "colecionador-test")
        logger.logLevel = .critical
        return logger
    }()
}

/// Requests to a test server, answers decoded as JSON objects.
struct TestHTTP: Sendable {
    let client: TestClient
    let port: Int
    let server: ColecionadorServer
    /// Starts the server's graceful shutdown (what SIGTERM does).
    let shutdown: @Sendable () async -> Void

    struct Answer: @unchecked Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: [UInt8]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func request(_ method: HTTPRequest.Method, _ uri: String, headers: HTTPFields = [:], body: [UInt8]? = nil) async throws -> Answer {
        let response = try await client.execute(
            TestClient.Request(uri, method: method, authority: "127.0.0.1:\(port)", headers: headers, body: body.map { ByteBuffer(bytes: $0) }))
        return Answer(status: response.status, headers: response.headers, body: response.body.map { Array($0.readableBytesView) } ?? [])
    }

    func get(_ uri: String, headers: HTTPFields = [:]) async throws -> Answer { try await request(.get, uri, headers: headers) }

    func post(_ uri: String, _ body: [UInt8], contentType: String = "application/octet-stream", headers: HTTPFields = [:]) async throws -> Answer {
        var headers = headers
        headers[.contentType] = contentType
        return try await request(.post, uri, headers: headers, body: body)
    }

    /// A multipart/form-data body: `(name, filename, bytes)` per part.
    static func multipart(_ parts: [(String, String?, [UInt8])], boundary: String = "colecionador-test-boundary") -> (body: [UInt8], contentType: String) {
        var body: [UInt8] = []
        for (name, filename, bytes) in parts {
            var header = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\""
            if let filename { header += "; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream" }
            header += "\r\n\r\n"
            body += Array(header.utf8) + bytes + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        return (body, "multipart/form-data; boundary=\(boundary)")
    }
}
