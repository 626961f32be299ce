import Foundation
import HTTPTypes
import Logging
import Synchronization
import Testing

/// Every log line written while serving a request carries that request's id, the one the
/// answer returns in `X-Request-ID`.
@Suite struct RequestLoggingTests {
    struct Line: Sendable {
        let message: String
        let requestID: String?
    }

    /// Keeps every line with its merged metadata.
    struct CapturingHandler: LogHandler {
        let lines: Arc
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        final class Arc: Sendable {
            let lines = Mutex<[Line]>([])
        }

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            lines.lines.withLock { $0.append(Line(message: "\(event.message)", requestID: merged["hb.request.id"].map { "\($0)" })) }
        }
    }

    @Test func everyRequestLineCarriesTheRequestID() async throws {
        let capture = CapturingHandler.Arc()
        let logger = Logger(label: "test") { _ in CapturingHandler(lines: capture) }
        try await TestDatabase.with("sqlite") { database in
            try await TestServer.run(database, logger: logger) { http in
                let answer = try await http.post("/v1/classify", Array("plain text".utf8), contentType: "image/jpeg")
                #expect(answer.errorCode == "unsupported_type")
                let id = try #require(answer.headers[HTTPField.Name("X-Request-ID")!])
                let requestLines = capture.lines.withLock { $0.filter { $0.requestID == id } }
                #expect(requestLines.contains { $0.message == "request rejected" })
            }
        }
        let handlerLines = capture.lines.withLock { $0.filter { $0.message == "request rejected" || $0.message == "classified" } }
        #expect(!handlerLines.isEmpty)
        #expect(handlerLines.allSatisfy { $0.requestID != nil }, "lines written inside a request name it")
    }
}
