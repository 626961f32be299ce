import ArgumentParser
import Foundation
import Logging
import Server
import ServiceLifecycle

/// `colecionador serve [--config FILE] [--host 127.0.0.1] [--port 8080] [--database PATH | --postgres URL]`:
/// runs the HTTP classification service (Docs/Service.md) until SIGTERM or SIGINT, then
/// finishes the requests in flight, saves the index snapshot and exits.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP classification service.")

    @Option(help: "JSON configuration file (model versions, thresholds, limits); see Deploy/models.example.json.")
    var config: String?

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port).")
    var port = 8080

    @Option(help: "SQLite database file (the default store; WAL mode).")
    var database: String?

    @Option(help: "PostgreSQL URL (postgres://user:password@host:5432/db) for several instances sharing one database.")
    var postgres: String?

    func validate() throws {
        guard database == nil || postgres == nil else { throw ValidationError("Give --database or --postgres, not both.") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535 (got \(port)).") }
    }

    func run() async throws {
        var logger = Logger(label: "colecionador")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        var configuration = try config.map(ServiceConfiguration.load(path:)) ?? ServiceConfiguration()
        let registry = try configuration.makeRegistry()
        let store: any Store
        var services: [any Service] = []
        if let postgres {
            let postgresStore = try PostgresStore(url: postgres, logger: logger)
            services.append(postgresStore.client)
            store = postgresStore
        } else {
            let path = database ?? "colecionador.sqlite"
            if configuration.indexSnapshot == nil { configuration.indexSnapshot = path + ".hnsw" }
            store = try SQLiteStore(path: path)
        }
        try await ServiceRunner.run(
            configuration: configuration, registry: registry, store: store, services: services, host: host, port: port, logger: logger)
    }
}
