import Classifier
import Logging
import ServiceLifecycle

/// Runs a service instance until SIGTERM or SIGINT: starts the support `services` (e.g. the
/// PostgreSQL pool), prepares the server, serves HTTP (and runs its `IndexSynchronizer`) under
/// a `ServiceGroup` whose graceful shutdown stops accepting connections and lets in-flight
/// requests finish, then saves the
/// index snapshot, closes the store and stops the support services. A process killed at any
/// point loses nothing acknowledged: every answer follows its commit, and the next start
/// recovers the index from the table (Docs/CrashSafety.md).
public enum ServiceRunner {
    public static func run(
        configuration: ServiceConfiguration, registry: ModelRegistry, store: any Store, services: [any Service],
        host: String, port: Int, logger: Logger
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services { group.addTask { try await service.run() } }
            let server = try await ColecionadorServer.make(configuration: configuration, registry: registry, store: store, logger: logger)
            let application = server.application(host: host, port: port) { port in
                logger.info("serving", metadata: ["host": .string(host), "port": .stringConvertible(port), "database": .string(store.kind)])
            }
            let serviceGroup = ServiceGroup(
                configuration: .init(
                    // The synchronizer ends at graceful shutdown; that must not cancel the requests
                    // the server is still finishing.
                    services: [
                        .init(service: application),
                        .init(service: server.synchronizer, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore),
                    ],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            do {
                try await serviceGroup.run()
            } catch {
                await server.shutdown()
                throw error
            }
            await server.shutdown()
            group.cancelAll()
        }
    }
}
