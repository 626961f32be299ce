import Foundation
import HTTPTypes
import Logging
import Server
import Synchronization
import Testing

/// The request id a proxy sends is the one in our logs and answers; `--log-format json` lines
/// carry it; a request over the latency threshold leaves one warning line.
@Suite struct RequestLoggingTests {
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var objects: [[String: Any]] {
            lines.withLock { $0 }.compactMap { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] }
        }
    }

    @Test func incomingRequestIDIsKeptLoggedAndAnswered() async throws {
        let lines = Lines()
        var logger = Logger(label: "request-logging-test") { JSONLogHandler(label: $0, output: { lines.append($0) }) }
        logger.logLevel = .info
        let coffee = try TestEnvironment.sample("coffee.png")
        try await TestDatabase.with("sqlite") { database in
            // Every request counts as slow: the warning line must appear, once per request.
            try await TestServer.run(database, logger: logger, configure: { $0.limits.slowRequestMilliseconds = 0 }) { http in
                var headers = HTTPFields()
                headers[HTTPField.Name("X-Request-ID")!] = "nginx-7f3a9c"
                let health = try await http.get("/healthz", headers: headers)
                #expect(health.headers[HTTPField.Name("X-Request-ID")!] == "nginx-7f3a9c")

                let classified = try await http.post("/v1/classify", coffee, contentType: "image/png", headers: headers)
                try #require(classified.status == .ok, "\(classified.text)")
                #expect(classified.json["request_id"] as? String == "nginx-7f3a9c")

                // Not an id we keep (a space, and over 128 bytes): the server's own.
                for unsafe in ["two words", String(repeating: "a", count: 129)] {
                    var bad = HTTPFields()
                    bad[HTTPField.Name("X-Request-ID")!] = unsafe
                    let answer = try await http.get("/healthz", headers: bad)
                    let id = try #require(answer.headers[HTTPField.Name("X-Request-ID")!])
                    #expect(id != unsafe && !id.isEmpty)
                }
            }
        }
        let ours = lines.objects.filter { $0["request_id"] as? String == "nginx-7f3a9c" }
        #expect(ours.contains { $0["message"] as? String == "classified" }, "the classification's log line carries the incoming id")
        let slow = ours.filter { $0["message"] as? String == "slow request" }
        #expect(slow.count == 2, "one slow-request warning per request with that id, got \(slow.count)")
        #expect(slow.allSatisfy { $0["level"] as? String == "warning" && $0["route"] != nil && $0["duration_ms"] != nil })
        #expect(lines.objects.allSatisfy { $0["timestamp"] is String && $0["label"] is String }, "every line is one JSON object")
    }

    /// A metadata provider's fields (swift-otel's trace_id and span_id) are on every line;
    /// a call's own metadata wins over them, and they over the logger's.
    @Test func metadataProviderFieldsAreWritten() {
        let lines = Lines()
        let provider = Logger.MetadataProvider { ["trace_id": "4bf92f3577b34da6a3ce929d0e0e4736", "span_id": "00f067aa0ba902b7", "source": "provider"] }
        var logger = Logger(label: "provider-test") { JSONLogHandler(label: $0, metadataProvider: provider, output: { lines.append($0) }) }
        logger[metadataKey: "span_id"] = "from-logger"
        logger.info("one", metadata: ["source": "call"])
        let line = lines.objects.first ?? [:]
        #expect(line["trace_id"] as? String == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(line["span_id"] as? String == "00f067aa0ba902b7")
        #expect(line["source"] as? String == "call")
    }
}
