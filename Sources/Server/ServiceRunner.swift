import Classifier
import Logging
import ServiceLifecycle

/// Runs a service instance until SIGTERM or SIGINT: starts the support `services` (e.g. the
/// PostgreSQL pool), prepares the server, serves HTTP under a `ServiceGroup` whose graceful
/// shutdown stops accepting connections and lets in-flight requests finish, then saves the
/// index snapshot, closes the store and stops the support services.
public enum ServiceRunner {
    public static func run(
        configuration: ServiceConfiguration, registry: ModelRegistry, store: any Store, services: [any Service],
        host: String, port: Int, logger: Logger
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services { group.addTask { try await service.run() } }
            let server = try await ColecionadorServer.prepare(configuration: configuration, registry: registry, store: store, logger: logger)
            let application = server.application(host: host, port: port) { port in
                logger.info("serving", metadata: ["host": .string(host), "port": .stringConvertible(port), "database": .string(store.kind)])
            }
            let serviceGroup = ServiceGroup(
                configuration: .init(services: [application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await serviceGroup.run()
            await server.shutdown()
            group.cancelAll()
        }
    }
}
