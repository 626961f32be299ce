import Foundation
import Testing

/// A graceful shutdown (SIGTERM) that begins while a classification is in flight lets it
/// finish: the client gets its 200 and the prediction is stored. One forward pass.
@Suite struct GracefulShutdownTests {
    @Test func inFlightRequestFinishesDuringShutdown() async throws {
        let astronaut = try TestEnvironment.sample("astronaut.png")
        try await TestDatabase.with("sqlite") { database in
            try await TestServer.run(database) { http in
                async let answer = http.post("/v1/classify", astronaut, contentType: "image/png")
                // Wait until the server counts the request in flight, then shut down.
                try await Waiting.until("the server counts the request in flight") {
                    http.server.metrics.exposition().contains("http_requests_in_flight 1")
                }
                await http.shutdown()
                let finished = try await answer
                #expect(finished.status == .ok, "\(finished.text)")
                #expect(finished.json["cache"] as? String == "miss")
            }
            // The acknowledged prediction was committed: a new instance finds it in the table.
            try await TestServer.run(database) { http in
                let again = try await http.post("/v1/classify", astronaut, contentType: "image/png")
                #expect(again.json["cache"] as? String == "hit")
            }
        }
    }
}
