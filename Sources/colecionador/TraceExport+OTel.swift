import Logging
import OTel
import Server
import ServiceLifecycle
import Tracing

extension TraceExport {
    /// Bootstraps the process's tracer with swift-otel's (W3C trace-context propagation, the
    /// sampler, batching and exporter the `OTEL_*` variables configure; service name
    /// `colecionador` unless `OTEL_SERVICE_NAME` says otherwise) and returns the service that
    /// batches and exports its spans, to run beside the server. Only tracing: logging stays
    /// with swift-log's handlers and metrics with the service's Prometheus registry.
    ///
    /// Once per process, before the first span.
    static func bootstrapTracer(logger: Logger) throws -> some Service {
        var configuration = OTel.Configuration.default
        configuration.serviceName = "colecionador"
        // swift-otel's own warnings (export failures, variables it rejects) in the service's log format.
        configuration.diagnosticLogger = .custom(logger)
        // Its info lines echo every OTEL_* variable, for logs and metrics too, which this build
        // does not export; OTEL_LOG_LEVEL=info brings them back.
        configuration.diagnosticLogLevel = .warning
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        return backend.service
    }
}
