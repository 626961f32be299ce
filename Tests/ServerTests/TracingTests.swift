import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// Traces over OTLP (Docs/Service.md, "Traces"): the real `colecionador serve` (a child process,
/// because the tracer is bootstrapped once per process) with the standard `OTEL_*` variables
/// pointing at an OTLP/HTTP receiver in the test; a classification sent with a W3C
/// `traceparent` and an item registration sent without, and the span trees that arrive. And the
/// same executable without the variables, where nothing is traced.
@Suite struct TracingTests {
    /// The classification stages, each a span `classifier.<stage>` under the request's span.
    static let stages = ["validate", "cache", "decode", "quality", "preprocess", "infer", "search", "store"]
    /// A registration's: no answer to search for, the item row to store.
    static let registrationStages = ["validate", "cache", "decode", "quality", "preprocess", "infer", "store"]

    @Test func requestSpanTreesAreExportedOverOTLP() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-tracing-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let photo = try TestEnvironment.sample("rocket.jpg")
        // The caller's trace: ours must continue it.
        let traceID = Self.randomHex(bytes: 16)
        let callerSpanID = Self.randomHex(bytes: 8)

        try await OTLPReceiver.run { receiver, receiverPort in
            let server = try await ServerProcess.start(
                ["--database", directory.appendingPathComponent("traced.sqlite").path, "--log-format", "json"],
                log: directory.appendingPathComponent("server.log"),
                environment: [
                    "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:\(receiverPort)",
                    // The receiver reads JSON (ids in hex or, as swift-otel 1.6.0 writes them, base64).
                    "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json",
                    // Batches leave every 100 ms instead of every 5 s.
                    "OTEL_BSP_SCHEDULE_DELAY": "100",
                    "OTEL_SERVICE_NAME": "colecionador",
                ])
            let client = TestClient(host: "127.0.0.1", port: server.port, configuration: .init(timeout: .seconds(120)))
            client.connect()
            do {
                #expect(server.log.contains("tracing on"), "\(server.log)")
                let http = TracedHTTP(client: client, port: server.port)

                // A classification inside the caller's trace.
                let classified = try await http.send(
                    .post, "/v1/classify", contentType: "image/jpeg", body: photo, traceparent: "00-\(traceID)-\(callerSpanID)-01")
                try #require(classified.status == .ok, "\(classified.text)")
                let requestID = try #require(classified.requestID)
                let modelVersion = try #require(classified.json["model_version"] as? String)
                // The answer names our server span, in the caller's trace.
                let answered = try #require(classified.traceparent, "no traceparent in the answer")
                #expect(answered.traceID == traceID, "the answer's trace is not the caller's")
                #expect(answered.spanID != callerSpanID && answered.sampled)

                let expected = Set(Self.stages.map { "classifier.\($0)" } + ["colecionador.classify"])
                try await Waiting.until("the server span and every stage span of the classification reach the receiver") {
                    let spans = receiver.spans
                    return spans.contains { $0.spanID == answered.spanID } && expected.isSubset(of: Set(spans.map(\.name)))
                }
                let tree = SpanTree(receiver.spans)
                #expect(receiver.rejections.isEmpty, "\(receiver.rejections)")
                #expect(tree.spans.allSatisfy { $0.traceID == traceID }, "every span is in the caller's trace:\n\(tree)")
                #expect(tree.spans.allSatisfy { $0.serviceName == "colecionador" }, "service.name:\n\(tree)")
                let serverSpan = try #require(tree[answered.spanID], "the answer's span was not exported:\n\(tree)")
                #expect(serverSpan.parentSpanID == callerSpanID, "the server span continues the caller's:\n\(tree)")
                #expect(serverSpan.attributes["http.request.method"] == "POST")
                #expect(serverSpan.attributes["http.response.status_code"] == "200")
                #expect(serverSpan.attributes["colecionador.request_id"] == requestID)

                let classify = try #require(tree.named("colecionador.classify").first, "\(tree)")
                let classifyParent = try #require(classify.parentSpanID.flatMap { tree[$0] }, "\(tree)")
                #expect(
                    classifyParent.spanID == serverSpan.spanID || classifyParent.parentSpanID == serverSpan.spanID,
                    "the request's span hangs under the server span (directly or through one level):\n\(tree)")
                #expect(classify.attributes["colecionador.request_id"] == requestID)
                #expect(classify.attributes["colecionador.model_version"] == modelVersion)
                #expect(classify.attributes["colecionador.images"] == "1")
                for stage in Self.stages {
                    let stageSpans = tree.named("classifier.\(stage)")
                    #expect(!stageSpans.isEmpty, "no \(stage) span:\n\(tree)")
                    for span in stageSpans {
                        // Through the inference queue too: decode … infer run on a Dispatch thread.
                        #expect(tree.descends(span, from: classify.spanID), "\(stage) is not under the request's span:\n\(tree)")
                        #expect(tree.descends(span, from: serverSpan.spanID), "\(stage) is not under the server span:\n\(tree)")
                    }
                }
                #expect(tree.named("classifier.cache").first?.attributes["colecionador.cache"] == "miss")
                print("classification span tree (trace \(traceID)):\n\(tree.outline(under: callerSpanID))")

                // The request's log lines carry its trace (the JSON handler with swift-otel's metadata provider).
                let logLine = try #require(Self.jsonLines(server.log).first { $0["message"] as? String == "classified" }, "\(server.log)")
                #expect(logLine["trace_id"] as? String == traceID)
                #expect(logLine["request_id"] as? String == requestID)

                // A registration without a traceparent: a trace of its own, rooted at our server span.
                // (Bytes after the JPEG's end mark change the SHA-256: a cache miss, so a forward pass.)
                let form = TestHTTP.multipart([
                    ("name", nil, Array("Saturn V".utf8)), ("category", nil, Array("rockets".utf8)),
                    ("image", "rocket.jpg", photo + Array("\ntracing registration".utf8)),
                ])
                let registered = try await http.send(.post, "/v1/items", contentType: form.contentType, body: form.body)
                try #require(registered.status == .created, "\(registered.text)")
                let registration = try #require(registered.traceparent, "no traceparent in the registration's answer")
                #expect(registration.traceID != traceID)
                let itemID = try #require(registered.json["id"] as? Int)
                try await Waiting.until("the registration's spans reach the receiver") {
                    let names = Set(receiver.spans.filter { $0.traceID == registration.traceID }.map(\.name))
                    return names.contains("colecionador.register_item") && names.contains("classifier.store")
                        && receiver.spans.contains { $0.spanID == registration.spanID }
                }
                let registrationTree = SpanTree(receiver.spans.filter { $0.traceID == registration.traceID })
                let registrationServerSpan = try #require(registrationTree[registration.spanID], "\(registrationTree)")
                #expect(registrationServerSpan.parentSpanID == nil, "a request without traceparent starts a trace:\n\(registrationTree)")
                let register = try #require(registrationTree.named("colecionador.register_item").first, "\(registrationTree)")
                #expect(register.parentSpanID == registration.spanID)
                #expect(register.attributes["colecionador.request_id"] == registered.requestID)
                #expect(register.attributes["colecionador.model_version"] == modelVersion)
                #expect(register.attributes["colecionador.item_id"] == String(itemID))
                for stage in Self.registrationStages {
                    let stageSpans = registrationTree.named("classifier.\(stage)")
                    #expect(!stageSpans.isEmpty, "no \(stage) span:\n\(registrationTree)")
                    #expect(stageSpans.allSatisfy { registrationTree.descends($0, from: register.spanID) }, "\(registrationTree)")
                }
                print("registration span tree (trace \(registration.traceID)):\n\(registrationTree.outline(under: nil))")

                try? await client.shutdown()
                // Graceful shutdown with the exporter in the service group: a clean exit.
                #expect(await server.terminate() == 0, "\(server.log)")
            } catch {
                try? await client.shutdown()
                await server.kill()
                throw error
            }
        }
    }

    /// No `OTEL_*` variable: nothing is bootstrapped, a `traceparent` is not answered, and the
    /// start says why tracing is off.
    @Test func tracingIsOffWithoutConfiguration() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-untraced-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await ServerProcess.start(
            ["--database", directory.appendingPathComponent("untraced.sqlite").path], log: directory.appendingPathComponent("server.log"))
        let client = TestClient(host: "127.0.0.1", port: server.port, configuration: .init(timeout: .seconds(60)))
        client.connect()
        do {
            #expect(server.log.contains("tracing off"), "\(server.log)")
            #expect(server.log.contains("no OTLP endpoint"), "\(server.log)")
            let answer = try await TracedHTTP(client: client, port: server.port).send(
                .get, "/healthz", traceparent: "00-\(Self.randomHex(bytes: 16))-\(Self.randomHex(bytes: 8))-01")
            #expect(answer.status == .ok)
            #expect(answer.traceparent == nil)
            try? await client.shutdown()
            #expect(await server.terminate() == 0, "\(server.log)")
        } catch {
            try? await client.shutdown()
            await server.kill()
            throw error
        }
    }

    /// Requests with an optional `traceparent`; answers with theirs.
    struct TracedHTTP: Sendable {
        let client: TestClient
        let port: Int

        struct Answer: @unchecked Sendable {
            let status: HTTPResponse.Status
            let headers: HTTPFields
            let body: [UInt8]
            var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
            var text: String { String(decoding: body, as: UTF8.self) }
            var requestID: String? { headers[HTTPField.Name("X-Request-ID")!] }
            var traceparent: Traceparent? { headers[HTTPField.Name("traceparent")!].flatMap(Traceparent.init) }
        }

        func send(
            _ method: HTTPRequest.Method, _ uri: String, contentType: String? = nil, body: [UInt8]? = nil, traceparent: String? = nil
        ) async throws -> Answer {
            var headers = HTTPFields()
            if let contentType { headers[.contentType] = contentType }
            if let traceparent { headers[HTTPField.Name("traceparent")!] = traceparent }
            let response = try await client.execute(
                TestClient.Request(uri, method: method, authority: "127.0.0.1:\(port)", headers: headers, body: body.map { ByteBuffer(bytes: $0) }))
            return Answer(status: response.status, headers: response.headers, body: response.body.map { Array($0.readableBytesView) } ?? [])
        }
    }

    /// A W3C `traceparent` header: `00-<32 hex trace id>-<16 hex span id>-<2 hex flags>`.
    struct Traceparent: Equatable {
        let traceID: String
        let spanID: String
        let sampled: Bool

        init?(_ header: String) {
            let fields = header.split(separator: "-").map(String.init)
            guard fields.count == 4, fields[0] == "00", fields[1].count == 32, fields[2].count == 16, fields[3].count == 2,
                fields.dropFirst().allSatisfy({ $0.allSatisfy(\.isHexDigit) }), let flags = UInt8(fields[3], radix: 16)
            else { return nil }
            (traceID, spanID, sampled) = (fields[1], fields[2], flags & 1 == 1)
        }
    }

    /// Received spans by id, with their ancestry.
    struct SpanTree: CustomStringConvertible {
        let spans: [OTLPReceiver.Span]
        private let byID: [String: OTLPReceiver.Span]

        init(_ spans: [OTLPReceiver.Span]) {
            self.spans = spans
            byID = Dictionary(spans.map { ($0.spanID, $0) }) { first, _ in first }
        }

        subscript(id: String) -> OTLPReceiver.Span? { byID[id] }

        func named(_ name: String) -> [OTLPReceiver.Span] { spans.filter { $0.name == name } }

        /// Whether `ancestor` is `span`'s parent, grandparent, …
        func descends(_ span: OTLPReceiver.Span, from ancestor: String) -> Bool {
            var parent = span.parentSpanID
            while let id = parent {
                if id == ancestor { return true }
                parent = byID[id]?.parentSpanID
            }
            return false
        }

        /// The spans whose parent is `root` (nil: the trace's roots), and theirs, as an indented
        /// outline with the service's own attributes; children in order of arrival.
        func outline(under root: String?, depth: Int = 0) -> String {
            spans.filter { $0.parentSpanID == root }.map { span in
                let attributes = span.attributes.filter { $0.key.hasPrefix("colecionador.") }.sorted { $0.key < $1.key }
                    .map { "\($0.key)=\($0.value)" }.joined(separator: " ")
                let line = String(repeating: "  ", count: depth) + span.name + (attributes.isEmpty ? "" : "  " + attributes)
                let children = outline(under: span.spanID, depth: depth + 1)
                return children.isEmpty ? line : line + "\n" + children
            }.joined(separator: "\n")
        }

        var description: String { spans.map(\.description).joined(separator: "\n") }
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    /// The JSON objects among the log's lines.
    static func jsonLines(_ log: String) -> [[String: Any]] {
        log.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("{") else { return nil }
            return (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
        }
    }
}
