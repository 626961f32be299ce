import Server
import Testing

/// `TraceExport`: when the standard `OTEL_*` variables turn trace export on, and which ones
/// this build refuses rather than ignores.
@Suite struct TraceExportTests {
    @Test func offUnlessAnEndpointOrTheOTLPExporterIsAskedFor() throws {
        #expect(try TraceExport(environment: [:]).isOn == false)
        #expect(try TraceExport(environment: ["OTEL_SERVICE_NAME": "colecionador", "OTEL_EXPORTER_OTLP_ENDPOINT": " "]).isOn == false)
        #expect(
            try TraceExport(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"])
                == .otlpHTTP(endpoint: "http://collector:4318/v1/traces", json: false))
        #expect(
            try TraceExport(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318/"])
                == .otlpHTTP(endpoint: "http://collector:4318/v1/traces", json: false))
        // The signal's own endpoint is used as is, and wins.
        #expect(
            try TraceExport(environment: [
                "OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://traces.example/otlp",
            ]) == .otlpHTTP(endpoint: "https://traces.example/otlp", json: false))
        #expect(try TraceExport(environment: ["OTEL_TRACES_EXPORTER": "otlp"]) == .otlpHTTP(endpoint: "http://localhost:4318/v1/traces", json: false))
        #expect(
            try TraceExport(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"])
                == .otlpHTTP(endpoint: "http://collector:4318/v1/traces", json: true))
    }

    @Test func disabledBySDKSwitchOrNoneExporter() throws {
        let endpoint = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"]
        #expect(try TraceExport(environment: endpoint.merging(["OTEL_SDK_DISABLED": "TRUE"]) { $1 }) == .off(reason: "OTEL_SDK_DISABLED=true"))
        #expect(try TraceExport(environment: endpoint.merging(["OTEL_SDK_DISABLED": "false"]) { $1 }).isOn)
        #expect(try TraceExport(environment: endpoint.merging(["OTEL_TRACES_EXPORTER": "none"]) { $1 }) == .off(reason: "OTEL_TRACES_EXPORTER=none"))
    }

    @Test func refusesWhatThisBuildCannotExport() {
        let endpoint = ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4317"]
        for refused in [
            endpoint.merging(["OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"]) { $1 },
            endpoint.merging(["OTEL_EXPORTER_OTLP_TRACES_PROTOCOL": "grpc", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"]) { $1 },
            endpoint.merging(["OTEL_TRACES_EXPORTER": "zipkin"]) { $1 },
            ["OTEL_EXPORTER_OTLP_ENDPOINT": "collector:4318"],
        ] {
            #expect(throws: TraceExport.ConfigurationError.self, "\(refused)") { try TraceExport(environment: refused) }
        }
    }

    /// The endpoint is logged at start, so its credentials are dropped.
    @Test func endpointLosesItsCredentials() throws {
        #expect(
            try TraceExport(environment: ["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "https://user:secret@traces.example/v1/traces"])
                == .otlpHTTP(endpoint: "https://traces.example/v1/traces", json: false))
    }
}
