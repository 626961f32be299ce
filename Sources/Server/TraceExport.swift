import Foundation

/// Whether `colecionador serve` exports its traces, decided from the standard OpenTelemetry
/// environment variables, as any OpenTelemetry SDK would read them.
///
/// On when an OTLP endpoint is set (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, used as is, or
/// `OTEL_EXPORTER_OTLP_ENDPOINT`, to which `/v1/traces` is appended), or when
/// `OTEL_TRACES_EXPORTER=otlp` asks for the default collector (`http://localhost:4318`); off
/// otherwise, and always with `OTEL_SDK_DISABLED=true` or `OTEL_TRACES_EXPORTER=none`. Off,
/// nothing is bootstrapped: swift-distributed-tracing's no-op tracer answers every span and the
/// server adds no tracing middleware, so a request pays for no-op spans only.
///
/// This build carries swift-otel's OTLP/HTTP exporter only (protobuf or JSON): a variable asking
/// for gRPC or for another exporter stops the start with a message instead of being ignored
/// (swift-otel itself would stop the process on gRPC without its trait).
///
/// The decision only; `colecionador serve` bootstraps swift-otel's tracer from it, and the
/// server gets a tracing middleware (`ColecionadorServer.router(tracing:)`) when it is on.
public enum TraceExport: Equatable, Sendable {
    case off(reason: String)
    /// Spans go to `endpoint` (for the startup log; swift-otel reads the variables itself),
    /// encoded as protobuf or, with `json`, as OTLP/JSON.
    case otlpHTTP(endpoint: String, json: Bool)

    /// An `OTEL_*` variable this build cannot honour.
    public struct ConfigurationError: Error, CustomStringConvertible {
        public let description: String
    }

    public init(environment: [String: String]) throws(ConfigurationError) {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }
        // The specification's booleans are case-insensitive; its enumerations are not.
        if value("OTEL_SDK_DISABLED")?.lowercased() == "true" {
            self = .off(reason: "OTEL_SDK_DISABLED=true")
            return
        }
        let exporter = value("OTEL_TRACES_EXPORTER")
        switch exporter {
        case nil, "otlp": break
        case "none":
            self = .off(reason: "OTEL_TRACES_EXPORTER=none")
            return
        case let other?:
            throw ConfigurationError(description: "OTEL_TRACES_EXPORTER=\(other): this build exports traces over OTLP only; set 'otlp' or 'none'.")
        }
        let endpoint: String
        if let tracesEndpoint = value("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") {
            endpoint = tracesEndpoint
        } else if let base = value("OTEL_EXPORTER_OTLP_ENDPOINT") {
            endpoint = base.hasSuffix("/") ? base + "v1/traces" : base + "/v1/traces"
        } else if exporter == "otlp" {
            endpoint = "http://localhost:4318/v1/traces"
        } else {
            self = .off(reason: "no OTLP endpoint: set OTEL_EXPORTER_OTLP_ENDPOINT or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            return
        }
        let protocolName = value("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") ?? value("OTEL_EXPORTER_OTLP_PROTOCOL")
        guard protocolName == nil || protocolName == "http/protobuf" || protocolName == "http/json" else {
            throw ConfigurationError(
                description: "OTLP protocol '\(protocolName!)': this build exports over OTLP/HTTP only; set OTEL_EXPORTER_OTLP_PROTOCOL to "
                    + "http/protobuf (the default) or http/json and point the endpoint at the collector's OTLP/HTTP port (4318).")
        }
        guard var url = URLComponents(string: endpoint), url.scheme == "http" || url.scheme == "https", url.host?.isEmpty == false else {
            throw ConfigurationError(description: "OTLP endpoint '\(endpoint)' is not an http:// or https:// URL.")
        }
        // The endpoint is logged at start: never its credentials.
        url.user = nil
        url.password = nil
        self = .otlpHTTP(endpoint: url.string ?? endpoint, json: protocolName == "http/json")
    }

    /// What to tell an operator who chose OTLP/JSON: swift-otel 1.6.0 writes the trace and span
    /// ids of that encoding in base64 (protobuf's JSON default) where OTLP/JSON wants hex, and
    /// the OpenTelemetry Collector refuses such batches.
    public static let jsonEncodingWarning =
        "OTLP/JSON from swift-otel 1.6.0 carries trace and span ids in base64, not the hex OTLP/JSON requires; "
        + "the OpenTelemetry Collector rejects such batches. Use http/protobuf (the default) with a collector."

    public var isOn: Bool {
        if case .otlpHTTP = self { return true }
        return false
    }
}
