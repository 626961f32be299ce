import CoreMetrics
import Foundation
import Prometheus

/// The service's metrics, created through swift-metrics on a Prometheus registry of its own
/// (no global bootstrap, so several servers can live in one process) and exported by
/// `GET /metrics` in the Prometheus text format.
///
/// - `http_request_duration_seconds{route, method, status}` histogram per route template;
/// - `http_requests_in_flight` gauge;
/// - `http_errors_total{code}` counter per error code;
/// - `classifier_stage_duration_seconds{stage, model_version}` histogram per pipeline stage;
/// - `classifier_confidence{model_version}` histogram of the top confidence;
/// - `classifier_predictions_total{model_version, outcome}` counter (`ok` or the error code);
/// - `classifier_cache_total{layer, result}` counter (`memory`/`store` × `hit`/`miss`);
/// - `classifier_inference_queue` gauge of requests waiting for an inference slot;
/// - `classifier_shed_total` counter of requests refused with 503 because the queue was full;
/// - `classifier_accuracy{model_version}` gauge: the share of answers with feedback whose class
///   was right, and `classifier_feedback{model_version}` gauge: how many answers have feedback
///   (both read from the database at each scrape, so every instance reports the shared truth).
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    let inFlight: CoreMetrics.Meter
    let queued: CoreMetrics.Meter
    let shed: CoreMetrics.Counter

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500), .seconds(5), .seconds(10),
        ]
        factory.defaultValueHistogramBuckets = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.0]
        self.factory = factory
        inFlight = CoreMetrics.Meter(label: "http_requests_in_flight", factory: factory)
        queued = CoreMetrics.Meter(label: "classifier_inference_queue", factory: factory)
        shed = CoreMetrics.Counter(label: "classifier_shed_total", factory: factory)
    }

    func request(route: String, method: String, status: Int, duration: Duration) {
        CoreMetrics.Timer(label: "http_request_duration_seconds", dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory)
            .recordNanoseconds(Self.nanoseconds(duration))
    }

    func error(code: String) {
        CoreMetrics.Counter(label: "http_errors_total", dimensions: [("code", code)], factory: factory).increment()
    }

    func stage(_ stage: String, milliseconds: Double, modelVersion: String) {
        CoreMetrics.Timer(label: "classifier_stage_duration_seconds", dimensions: [("stage", stage), ("model_version", modelVersion)], factory: factory)
            .recordNanoseconds(Int64(milliseconds * 1_000_000))
    }

    func prediction(modelVersion: String, outcome: String, confidence: Float?) {
        CoreMetrics.Counter(label: "classifier_predictions_total", dimensions: [("model_version", modelVersion), ("outcome", outcome)], factory: factory)
            .increment()
        if let confidence {
            CoreMetrics.Recorder(label: "classifier_confidence", dimensions: [("model_version", modelVersion)], aggregate: true, factory: factory)
                .record(Double(confidence))
        }
    }

    func cache(layer: String, hit: Bool) {
        CoreMetrics.Counter(label: "classifier_cache_total", dimensions: [("layer", layer), ("result", hit ? "hit" : "miss")], factory: factory)
            .increment()
    }

    /// Sets the per-version accuracy gauges from the database's statistics.
    func accuracy(_ stats: [VersionStats]) {
        for row in stats {
            CoreMetrics.Gauge(label: "classifier_feedback", dimensions: [("model_version", row.modelVersion)], factory: factory)
                .record(Double(row.feedback))
            if let accuracy = row.accuracy {
                CoreMetrics.Gauge(label: "classifier_accuracy", dimensions: [("model_version", row.modelVersion)], factory: factory)
                    .record(accuracy)
            }
        }
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        registry.emitToString()
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
