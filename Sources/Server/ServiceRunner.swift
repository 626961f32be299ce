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
///
/// `traceExporter`: the service of a bootstrapped tracer (swift-otel's batch processor and
/// exporter), when tracing is on. It runs in the same group, listed first so that it is shut
/// down last: the spans of the requests finished during the graceful shutdown are still
/// exported before the process exits.
public enum ServiceRunner {
    public static func run(
        configuration: ServiceConfiguration, registry: ModelRegistry, store: any Store, services: [any Service],
        traceExporter: (any Service)? = nil, host: String, port: Int, logger: Logger
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for service in services { group.addTask { try await service.run() } }
            let server = try await ColecionadorServer.make(configuration: configuration, registry: registry, store: store, logger: logger)
            let application = server.application(host: host, port: port, tracing: traceExporter != nil) { port in
                logger.info("serving", metadata: ["host": .string(host), "port": .stringConvertible(port), "database": .string(store.kind)])
            }
            // An exporter that stops or fails must not take the classification service down with
            // it (swift-otel logs its own export failures).
            let tracing: [ServiceGroupConfiguration.ServiceConfiguration] = traceExporter.map {
                [.init(service: $0, successTerminationBehavior: .ignore, failureTerminationBehavior: .ignore)]
            } ?? []
            let serviceGroup = ServiceGroup(
                configuration: .init(
                    // The synchronizer ends at graceful shutdown; that must not cancel the requests
                    // the server is still finishing.
                    services: tracing + [
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
