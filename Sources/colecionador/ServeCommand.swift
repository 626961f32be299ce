import ArgumentParser
import CNN
import Foundation
import Logging
import Models
import OTel
import Server
import ServiceLifecycle

/// `colecionador serve [--config FILE] [--host 127.0.0.1] [--port 8080] [--database PATH | --postgres URL]`:
/// runs the HTTP classification service (Docs/Service.md) until SIGTERM or SIGINT, then
/// finishes the requests in flight, saves the index snapshot and exits. Traces are exported over
/// OTLP/HTTP when the standard `OTEL_*` variables ask for it (`TraceExport`).
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

    @Option(
        name: .customLong("prepared-cache"),
        help: "Directory where the instances on this machine share the models' prepared parameters ('off': each keeps its own; default: the configuration's prepared_cache, else $COLECIONADOR_PREPARED_CACHE, else $XDG_CACHE_HOME or ~/.cache /colecionador/prepared).")
    var preparedCache: String?

    @Option(name: .customLong("log-format"), help: "text (swift-log's default) or json (one JSON object per line, with request_id).")
    var logFormat = "text"

    func validate() throws {
        guard logFormat == "text" || logFormat == "json" else { throw ValidationError("--log-format must be text or json (got \(logFormat)).") }
        guard database == nil || postgres == nil else { throw ValidationError("Give --database or --postgres, not both.") }
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0…65535 (got \(port)).") }
    }

    func run() async throws {
        let traceExport = try TraceExport(environment: ProcessInfo.processInfo.environment)
        // With traces exported, a line logged inside a request carries its trace_id and span_id.
        let metadataProvider = traceExport.isOn ? OTel.makeLoggingMetadataProvider() : nil
        if logFormat == "json" {
            LoggingSystem.bootstrap({ JSONLogHandler(label: $0, metadataProvider: $1) }, metadataProvider: metadataProvider)
        } else if let metadataProvider {
            LoggingSystem.bootstrap(StreamLogHandler.standardError, metadataProvider: metadataProvider)
        }
        var logger = Logger(label: "colecionador")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let traceExporter: (any Service)?
        switch traceExport {
        case .off(let reason):
            logger.info("tracing off", metadata: ["reason": .string(reason)])
            traceExporter = nil
        case .otlpHTTP(let endpoint, let json):
            traceExporter = try TraceExport.bootstrapTracer(logger: logger)
            logger.info(
                "tracing on: spans exported over OTLP/HTTP",
                metadata: ["endpoint": .string(endpoint), "encoding": .string(json ? "json" : "protobuf")])
            if json { logger.warning("\(TraceExport.jsonEncodingWarning)") }
        }
        logger.info("instruction sets: \(InstructionSet.summary)")
        if let warning = InstructionSet.report { logger.warning("\(warning)") }
        var configuration = try config.map(ServiceConfiguration.load(path:)) ?? ServiceConfiguration()
        if let preparedCache {
            // A command-line path is relative to the working directory, not to the configuration file.
            configuration.preparedCache = preparedCache == "off" || preparedCache.hasPrefix("/")
                ? preparedCache : URL(fileURLWithPath: preparedCache).path
        }
        let registry = try configuration.makeRegistry()
        for version in registry.versions {
            let bytes = version.model.preparedParameterBytes
            let metadata: Logger.Metadata = [
                "version": .string(version.id), "shared_bytes": .stringConvertible(bytes.shared),
                "private_bytes": .stringConvertible(bytes.private),
            ]
            if version.model.preparedParameters.isShared {
                logger.info("\(version.model.preparedParameters)", metadata: metadata)
            } else {
                logger.warning("\(version.model.preparedParameters)", metadata: metadata)
            }
        }
        let store: any Store
        var services: [any Service] = []
        if let postgres {
            let postgresStore = try PostgresStore(url: postgres, logger: logger)
            services.append(postgresStore.client)
            store = postgresStore
        } else {
            let path = database ?? "colecionador.sqlite"
            if configuration.indexSnapshot == nil { configuration.indexSnapshot = path + ".hnsw" }
            // Beside the database, resolved against the working directory like the database.
            if configuration.headsDirectory == nil { configuration.headsDirectory = URL(fileURLWithPath: path + ".heads").path }
            store = try SQLiteStore(path: path)
        }
        try await ServiceRunner.run(
            configuration: configuration, registry: registry, store: store, services: services, traceExporter: traceExporter,
            host: host, port: port, logger: logger)
    }
}
