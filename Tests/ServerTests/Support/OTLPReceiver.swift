import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A minimal OTLP/HTTP trace receiver on 127.0.0.1, standing in for a collector: it takes
/// `POST /v1/traces` in the JSON encoding (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`), keeps
/// every span and answers 200 `{}` (an `ExportTraceServiceResponse` with no partial success).
final class OTLPReceiver: Sendable {
    /// One received span, its ids as lowercase hex, its attribute values as text.
    struct Span: Sendable, CustomStringConvertible {
        let traceID: String
        let spanID: String
        let parentSpanID: String?
        let name: String
        let attributes: [String: String]
        let serviceName: String?

        var description: String { "\(name) \(spanID) ← \(parentSpanID ?? "root") \(attributes)" }
    }

    private let received = Mutex<[Span]>([])
    private let rejected = Mutex<[String]>([])

    /// The spans received so far, in order of arrival.
    var spans: [Span] { received.withLock { $0 } }
    /// Export requests that were not valid OTLP/JSON (a failing test shows them).
    var rejections: [String] { rejected.withLock { $0 } }

    /// Runs `body` with a receiver listening on a free port; stops it afterwards whatever happens.
    static func run<T: Sendable>(_ body: @Sendable (OTLPReceiver, Int) async throws -> T) async throws -> T {
        let receiver = OTLPReceiver()
        let router = Router()
        router.post("/v1/traces") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 16 << 20)
            receiver.accept(Data(bytes.readableBytesView))
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: "{}")))
        }
        var logger = Logger(label: "otlp-receiver")
        logger.logLevel = .critical
        let (ports, portContinuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "otlp-receiver"),
            onServerRunning: { channel in portContinuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let serviceGroup = ServiceGroup(configuration: .init(services: [application], logger: logger))
        let serving = Task { try await serviceGroup.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            serving.cancel()
            throw TestSetupError("the OTLP receiver did not report its port")
        }
        let result: Result<T, any Error>
        do {
            result = .success(try await body(receiver, port))
        } catch {
            result = .failure(error)
        }
        await serviceGroup.triggerGracefulShutdown()
        _ = await serving.result
        return try result.get()
    }

    private func accept(_ body: Data) {
        do {
            let request = try JSONDecoder().decode(ExportTraceServiceRequest.self, from: body)
            var spans: [Span] = []
            for resourceSpans in request.resourceSpans ?? [] {
                let serviceName = resourceSpans.resource?.attributes?.first { $0.key == "service.name" }?.value.text
                for scopeSpans in resourceSpans.scopeSpans ?? [] {
                    for span in scopeSpans.spans ?? [] {
                        spans.append(
                            Span(
                                traceID: Self.hex(span.traceId), spanID: Self.hex(span.spanId),
                                parentSpanID: span.parentSpanId.flatMap { $0.isEmpty ? nil : Self.hex($0) }, name: span.name,
                                attributes: Dictionary((span.attributes ?? []).map { ($0.key, $0.value.text) }) { _, last in last },
                                serviceName: serviceName))
                    }
                }
            }
            received.withLock { $0 += spans }
        } catch {
            rejected.withLock { $0.append("\(error): \(String(decoding: body.prefix(500), as: UTF8.self))") }
        }
    }

    /// OTLP/JSON writes ids as hex; a protobuf JSON encoder that does not special-case them
    /// writes base64 (the bytes fields' default). Either becomes lowercase hex.
    static func hex(_ id: String) -> String {
        let isHex = (id.count == 32 || id.count == 16) && id.allSatisfy(\.isHexDigit)
        if isHex { return id.lowercased() }
        guard let bytes = Data(base64Encoded: id) else { return id }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    // The parts of OTLP/JSON's ExportTraceServiceRequest the tests read. Fields at their
    // default value are omitted by the encoding, hence the optionals.
    struct ExportTraceServiceRequest: Decodable { let resourceSpans: [ResourceSpans]? }
    struct ResourceSpans: Decodable {
        let resource: Resource?
        let scopeSpans: [ScopeSpans]?
    }
    struct Resource: Decodable { let attributes: [KeyValue]? }
    struct ScopeSpans: Decodable { let spans: [WireSpan]? }
    struct WireSpan: Decodable {
        let traceId: String
        let spanId: String
        let parentSpanId: String?
        let name: String
        let attributes: [KeyValue]?
    }
    struct KeyValue: Decodable {
        let key: String
        let value: AnyValue
    }
    /// A scalar attribute value as text (64-bit integers arrive as JSON strings or numbers).
    struct AnyValue: Decodable {
        let text: String

        enum CodingKeys: String, CodingKey { case stringValue, intValue, boolValue, doubleValue }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            if let string = try container.decodeIfPresent(String.self, forKey: .stringValue) {
                text = string
            } else if let integer = try? container.decodeIfPresent(String.self, forKey: .intValue) {
                text = integer
            } else if let integer = try? container.decodeIfPresent(Int64.self, forKey: .intValue) {
                text = String(integer)
            } else if let flag = try container.decodeIfPresent(Bool.self, forKey: .boolValue) {
                text = String(flag)
            } else if let number = try container.decodeIfPresent(Double.self, forKey: .doubleValue) {
                text = String(number)
            } else {
                text = ""
            }
        }
    }
}
