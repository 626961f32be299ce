import HTTPTypes
import Tracing

/// Writes a trace context into response headers (W3C `traceparent` and `tracestate` with
/// swift-otel's propagator), so that a client can find the trace of its request.
struct HTTPFieldsInjector: Injector {
    func inject(_ value: String, forKey key: String, into fields: inout HTTPFields) {
        guard let name = HTTPField.Name(key) else { return }
        fields[name] = value
    }
}
