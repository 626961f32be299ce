import Classifier
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import PostgresNIO
import Server
import Synchronization
import Testing

/// Crash safety (Docs/CrashSafety.md): the real `colecionador serve` executable is killed with
/// SIGKILL while items are registered and deleted and classifications stored, then restarted
/// on the same database, round after round. Whatever the server acknowledged (a 2xx answer
/// reached the client) must be in the database and, for items, in the index; nothing may be
/// half-written; the index snapshot — stale, left with an interrupted save's temporary file,
/// truncated or damaged between rounds — is used when valid and rebuilt otherwise.
///
/// The moments of the kills are random but seeded (`seed`): the kill comes after a drawn
/// number of acknowledgments plus a drawn delay. Forward passes are the cost (a debug
/// EfficientNet-Lite0 pass takes seconds), so each round has few cache misses: one
/// registration photo embedded per process, one classification photo (computed once, then a
/// hit from the `predictions` table), and one worker sending fresh photos so that a forward
/// pass is usually in flight when the kill comes.
@Suite struct CrashSafetyTests {
    static let seed: UInt64 = 0xC011_EC10
    static let embeddingBytes = 1280 * 4

    @Test(arguments: ServiceSuites.databases)
    func killedServerLosesNothingAcknowledged(database kind: String) async throws {
        let clock = ContinuousClock()
        let began = clock.now
        let rounds = kind == "sqlite" ? 3 : 2
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("colecionador-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let photo = try TestEnvironment.sample("rocket.jpg")
        // Bytes after the JPEG's end-of-image marker change the SHA-256, not the decoded photo.
        let photos = Photos(
            register: photo + Array("\ncrash-safety register".utf8), classify: photo + Array("\ncrash-safety classify".utf8),
            fresh: { photo + Array("\ncrash-safety fresh \($0)".utf8) })

        try await TestDatabase.with(kind) { database in
            let (arguments, snapshot) = try Self.serveArguments(database, directory: directory)
            let ledger = Ledger()
            var random = SeededGenerator(seed: Self.seed)
            var tableItems = 0
            var expectedStart = Expectation.rebuilt("no snapshot at")
            for round in 1...rounds + 1 {
                let server = try await ServerProcess.start(arguments, log: directory.appendingPathComponent("round-\(round).log"))
                do {
                    expectedStart.check(server.log, round: round)
                    try await Self.checkServing(port: server.port, ledger: ledger, tableItems: tableItems, photos: photos, round: round)
                } catch {
                    await server.kill()
                    throw error
                }
                if round > rounds {
                    // Last start: stop gracefully; the snapshot saved must hold exactly the table.
                    #expect(await server.terminate() == 0, "graceful shutdown\n\(server.log)")
                    #expect(server.log.contains("index snapshot saved"))
                    try await Self.checkSnapshotMatchesTable(snapshot, database: database)
                    break
                }

                let killAfter = Int.random(in: 15...35, using: &random)
                let delay = Duration.milliseconds(Int.random(in: 0..<40, using: &random))
                await Self.load(server, round: round, photos: photos, ledger: ledger, killAfter: killAfter, delay: delay, seed: random.next())

                let rows = try await StoredRows.read(database)
                Self.checkRows(rows, ledger: ledger, round: round)
                tableItems = rows.items.count
                expectedStart = try Self.damageSnapshot(snapshot, round: round, tableItems: tableItems)
            }
            let summary = ledger.summary
            let elapsed = (clock.now - began).components
            let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
            print(
                "crash safety (\(kind)): \(rounds) SIGKILL rounds + final start, acknowledged \(summary.items) registrations, "
                    + "\(summary.deleted) deletions, \(summary.classifications) classifications "
                    + "(\(summary.unacknowledged) requests cut by the kills); \(tableItems) items in the table; "
                    + String(format: "%.1f s", seconds))
            #expect(summary.items > 0 && summary.classifications > 0, "the rounds acknowledged nothing")
            #expect(summary.unexpected.isEmpty, "answers other than 2xx: \(summary.unexpected)")
        }
    }

    /// Snapshots that do not describe the table never fail a start and never serve their
    /// vectors: stale (an older state, holding an item since deleted), foreign (another
    /// database with the same ids), truncated, empty, not an index at all, or with one vector
    /// byte flipped — each is rebuilt from the table; a snapshot that lags behind the table is
    /// caught up; an interrupted save's temporary file is removed. After every start the
    /// answers of `/v1/items/{id}/similar` equal a brute-force cosine search over the table's
    /// embeddings (float64). In-process, on synthetic embeddings inserted through the store: no
    /// forward pass.
    @Test func snapshotsThatDisagreeWithTheTableAreRebuilt() async throws {
        let registry = try TestEnvironment.registry([("efficientnet-lite0", 100)])
        try await TestDatabase.with("sqlite") { database in
            guard case .sqlite(let path) = database else { return }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            let snapshot = URL(fileURLWithPath: path + ".hnsw")
            let store = try SQLiteStore(path: path)
            try await store.migrate()
            var random = SeededGenerator(seed: Self.seed ^ 0x5EED)
            var table: [Int64: [Float]] = [:]
            func insert(_ count: Int) async throws {
                for _ in 0..<count {
                    let embedding = Self.unitVector(&random)
                    let item = try await store.insertItem(
                        NewItem(name: "synthetic", category: "test", sha256: "none", modelVersion: "efficientnet-lite0", embedding: embedding))
                    table[item.id] = embedding
                }
            }
            func start(_ scenario: String, expecting expected: (ItemIndex.Recovery) -> Bool) async throws {
                let items = table
                let recovery = try await TestServer.run(database, registry: registry, configure: { $0.indexSnapshot = snapshot.path }) { http in
                    try await Self.checkSimilarAnswers(http, table: items, scenario: scenario)
                    return http.server.indexRecovery
                }
                #expect(expected(recovery), "\(scenario): \(recovery)")
            }
            func rebuilt(because reason: String) -> (ItemIndex.Recovery) -> Bool {
                { if case .rebuilt(let why) = $0 { why.contains(reason) } else { false } }
            }

            try await insert(12)
            try await start("first start", expecting: rebuilt(because: "no snapshot at"))
            let older = try Data(contentsOf: snapshot)
            try await insert(12)
            try await start("snapshot behind the table", expecting: { $0 == .snapshot(added: 12) })

            let ids = table.keys.sorted()
            let foreign = try ItemIndex.rebuild(
                items: ids.map { ItemSummary(id: $0, name: "foreign", category: "test") },
                embeddings: ids.map { _ in Self.unitVector(&random) }, dimension: 1280, modelVersion: "efficientnet-lite0")
            try foreign.save(to: snapshot)
            try await start("foreign snapshot, same ids", expecting: rebuilt(because: "another database"))

            let deleted = ids[2]
            #expect(try await store.deleteItem(id: deleted))
            table[deleted] = nil
            try older.write(to: snapshot)
            try await start("stale snapshot with a deleted item", expecting: rebuilt(because: "no longer has"))

            let good = try Data(contentsOf: snapshot)
            try good.prefix(100).write(to: snapshot)
            try await start("truncated snapshot", expecting: rebuilt(because: "snapshot unreadable"))
            try Data().write(to: snapshot)
            try await start("empty snapshot", expecting: rebuilt(because: "snapshot unreadable"))
            try Data(try TestEnvironment.sample("rocket.jpg")).write(to: snapshot)
            try await start("a JPEG as snapshot", expecting: rebuilt(because: "snapshot unreadable"))
            try Self.flipVectorByte(snapshot)
            try await start("one vector byte flipped", expecting: rebuilt(because: "snapshot unreadable"))

            let temporary = directory.appendingPathComponent(".\(snapshot.lastPathComponent).tmp-2147483646-9")
            try Data(good.prefix(good.count / 3)).write(to: temporary)
            try await start("interrupted save", expecting: { $0 == .snapshot(added: 0) })
            #expect(!FileManager.default.fileExists(atPath: temporary.path), "the interrupted save's file is removed")
            await store.close()
        }
    }

    /// A seeded random unit vector of the model's embedding dimension.
    static func unitVector(_ random: inout SeededGenerator) -> [Float] {
        let vector = (0..<1280).map { _ in Float.random(in: -1...1, using: &random) }
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return vector.map { $0 / norm }
    }

    /// `/readyz` counts the table's items and, for each item, `/similar?k=3` returns the three
    /// nearest other items of a float64 brute-force cosine search over `table`.
    static func checkSimilarAnswers(_ http: TestHTTP, table: [Int64: [Float]], scenario: String) async throws {
        #expect(try await http.get("/readyz").json["index_items"] as? Int == table.count, "\(scenario): index size")
        func distance(_ a: [Float], _ b: [Float]) -> Double {
            var dot = 0.0
            var normA = 0.0
            var normB = 0.0
            for (x, y) in zip(a, b) {
                dot += Double(x) * Double(y)
                normA += Double(x) * Double(x)
                normB += Double(y) * Double(y)
            }
            return 1 - dot / (normA * normB).squareRoot()
        }
        for (id, embedding) in table {
            let expected = table.filter { $0.key != id }.map { ($0.key, distance(embedding, $0.value)) }.sorted { $0.1 < $1.1 }.prefix(3)
            let answer = try await http.get("/v1/items/\(id)/similar?k=3")
            let neighbours = answer.json["similar_items"] as? [[String: Any]] ?? []
            #expect(neighbours.compactMap { ($0["id"] as? Int).map(Int64.init) } == expected.map(\.0), "\(scenario): neighbours of \(id)")
            for (neighbour, reference) in zip(neighbours, expected) {
                #expect(abs((neighbour["distance"] as? Double ?? -1) - reference.1) < 1e-5, "\(scenario): distance within 1e-5 of float64")
            }
        }
    }

    // MARK: One round

    /// The three photos of the run; `fresh(n)` is a photo never seen before (a cache miss).
    struct Photos: Sendable {
        let register: [UInt8]
        let classify: [UInt8]
        let fresh: @Sendable (String) -> [UInt8]
    }

    /// A warm-up (one registration and one classification, the first forward passes), then
    /// four clients until the kill: three mix registrations (multipart and JSON),
    /// classifications of the shared photo and deletions of their own items; one classifies
    /// fresh photos. SIGKILL once `killAfter` answers of the round were acknowledged, plus `delay`.
    static func load(
        _ server: ServerProcess, round: Int, photos: Photos, ledger: Ledger, killAfter: Int, delay: Duration, seed: UInt64
    ) async {
        ledger.startRound()
        let port = server.port
        async let warmRegistration: Void = Self.session(port: port, ledger: ledger) { http in
            _ = try await http.register(name: "round \(round) warm-up", photo: photos.register, json: false, ledger: ledger)
        }
        async let warmClassification: Void = Self.session(port: port, ledger: ledger) { http in
            try await http.classify(photos.classify, ledger: ledger)
        }
        _ = await (warmRegistration, warmClassification)

        await withTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    await Self.session(port: port, ledger: ledger) { http in
                        var generator = SeededGenerator(seed: seed &+ UInt64(worker))
                        var mine: [Int64] = []
                        for step in 0... {
                            if worker == 3 {
                                try await http.classify(photos.fresh("round \(round) step \(step)"), ledger: ledger)
                                continue
                            }
                            switch Int.random(in: 0..<10, using: &generator) {
                            case 0 where !mine.isEmpty:
                                try await http.delete(mine.removeLast(), ledger: ledger)
                            case 0..<5:
                                let name = "round \(round) worker \(worker) step \(step)"
                                if let id = try await http.register(name: name, photo: photos.register, json: step % 2 == 1, ledger: ledger) {
                                    mine.append(id)
                                }
                            default:
                                try await http.classify(photos.classify, ledger: ledger)
                            }
                        }
                    }
                }
            }
            let clock = ContinuousClock()
            let deadline = clock.now + .seconds(120)
            while ledger.roundAcknowledged < killAfter, clock.now < deadline, server.isRunning {
                try? await Task.sleep(for: .milliseconds(2))
            }
            try? await Task.sleep(for: delay)
            await server.kill()
            await group.waitForAll()
        }
        #expect(ledger.roundAcknowledged >= killAfter, "round \(round): only \(ledger.roundAcknowledged) answers before the kill\n\(server.log)")
    }

    /// Runs `body` with a client connected to the server until it throws (the server is
    /// gone), counting the request it was in as cut.
    static func session(port: Int, ledger: Ledger, _ body: @Sendable (CrashClient) async throws -> Void) async {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120)))
        client.connect()
        do {
            try await body(CrashClient(client: client, port: port))
        } catch {
            ledger.cut()
        }
        try? await client.shutdown()
    }

    // MARK: Checks

    /// On a fresh start: every acknowledged item is served (and every acknowledged deletion
    /// is not), the index holds as many items as the table, each live item has neighbours at
    /// distance ≈ 0 (all items share one photo), and the shared classification photo is a hit
    /// from the `predictions` table.
    static func checkServing(port: Int, ledger: Ledger, tableItems: Int, photos: Photos, round: Int) async throws {
        let client = TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(120)))
        client.connect()
        do {
            try await checkServing(CrashClient(client: client, port: port), ledger: ledger, tableItems: tableItems, photos: photos, round: round)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try? await client.shutdown()
    }

    private static func checkServing(_ http: CrashClient, ledger: Ledger, tableItems: Int, photos: Photos, round: Int) async throws {
        let ready = try await http.get("/readyz")
        #expect(ready.json["index_items"] as? Int == tableItems, "round \(round): the index must hold every item of the table")
        let state = ledger.snapshot
        for item in state.items.values.sorted(by: { $0.id < $1.id }) {
            let shown = try await http.get("/v1/items/\(item.id)")
            if state.deleted.contains(item.id) {
                #expect(shown.status == .notFound, "round \(round): deleted item \(item.id) is back")
                continue
            }
            // A deletion the kill cut may have committed: either answer is right.
            if state.deletionsCut.contains(item.id), shown.status == .notFound { continue }
            #expect(shown.status == .ok, "round \(round): acknowledged item \(item.id) is missing")
            #expect(shown.json["name"] as? String == item.name)
            #expect(shown.json["sha256"] as? String == item.sha256)
            guard tableItems > 1 else { continue }
            let similar = try await http.get("/v1/items/\(item.id)/similar?k=3")
            let neighbours = similar.json["similar_items"] as? [[String: Any]] ?? []
            #expect(!neighbours.isEmpty, "round \(round): no neighbours for item \(item.id)")
            #expect(neighbours.allSatisfy { ($0["distance"] as? Double ?? 1) < 1e-3 }, "the same photo: cosine distance ≈ 0")
        }
        if !state.classifications.isEmpty {
            let again = try await http.classify(photos.classify, ledger: ledger)
            #expect(again?.cacheHit == true, "round \(round): an acknowledged classification must be in the predictions table")
        }
    }

    /// Straight from the database after a kill: acknowledged rows present, deleted ones gone,
    /// every row whole, each `predictions` row with its `ab_test_results` row.
    static func checkRows(_ rows: StoredRows, ledger: Ledger, round: Int) {
        #expect(rows.integrity == "ok", "round \(round): the database's integrity check: \(rows.integrity)")
        let state = ledger.snapshot
        let items = Dictionary(uniqueKeysWithValues: rows.items.map { ($0.id, $0) })
        for item in state.items.values {
            if state.deleted.contains(item.id) {
                #expect(items[item.id] == nil, "round \(round): acknowledged deletion of \(item.id) undone")
            } else if state.deletionsCut.contains(item.id), items[item.id] == nil {
                continue
            } else {
                #expect(items[item.id]?.name == item.name, "round \(round): acknowledged item \(item.id) lost")
                #expect(items[item.id]?.sha256 == item.sha256)
            }
        }
        for item in rows.items {
            #expect(item.embeddingBytes == embeddingBytes && !item.name.isEmpty, "round \(round): item \(item.id) half-written")
        }
        for prediction in rows.predictions {
            let result = (try? JSONSerialization.jsonObject(with: Data(prediction.result.utf8))) as? [String: Any]
            #expect(prediction.embeddingBytes == embeddingBytes, "round \(round): prediction without its embedding")
            #expect(result?["label"] as? String == prediction.label, "round \(round): prediction without its result")
            #expect(abs((result?["confidence"] as? Double ?? -1) - prediction.confidence) < 1e-6)
        }
        let computed = rows.abResults.filter { $0.outcome == "ok" && $0.cacheHit == 0 }.count
        #expect(rows.predictions.count == computed, "round \(round): one predictions row per computed outcome, in one transaction")
        let outcomes = Dictionary(rows.abResults.map { ($0.requestID, $0) }, uniquingKeysWith: { first, _ in first })
        let predictions = Dictionary(grouping: rows.predictions, by: \.sha256)
        for classification in state.classifications {
            let outcome = outcomes[classification.requestID]
            #expect(outcome?.outcome == "ok", "round \(round): acknowledged classification \(classification.requestID) not stored")
            #expect(outcome?.cacheHit == (classification.cacheHit ? 1 : 0))
            let stored = predictions[classification.sha256] ?? []
            #expect(
                stored.contains { $0.label == classification.label && abs($0.confidence - classification.confidence) < 1e-6 },
                "round \(round): acknowledged classification \(classification.requestID) has no predictions row")
        }
    }

    /// The snapshot saved at the graceful shutdown holds exactly the table's items with their
    /// embeddings: `ItemIndex.recover` uses it as it is.
    static func checkSnapshotMatchesTable(_ snapshot: URL, database: TestDatabase) async throws {
        let items: [StoredItem]
        switch database {
        case .sqlite(let path):
            let store = try SQLiteStore(path: path)
            items = try await store.items(modelVersion: "efficientnet-lite0")
            await store.close()
        case .postgres(let url):
            let store = try PostgresStore(url: url, logger: TestServer.quietLogger)
            let running = Task { await store.client.run() }
            defer { running.cancel() }
            items = try await store.items(modelVersion: "efficientnet-lite0")
        }
        let (_, recovery) = try ItemIndex.recover(
            snapshot: snapshot, items: items.map(\.summary), embeddings: items.map(\.embedding), dimension: 1280,
            modelVersion: "efficientnet-lite0")
        #expect(recovery == .snapshot(added: 0), "the saved snapshot must match the table: \(recovery)")
    }

    // MARK: Snapshot damage between rounds

    /// What the next start must log about the index.
    enum Expectation {
        case loaded(addedFromTable: Int, removedTemporary: Bool)
        case rebuilt(String)

        func check(_ log: String, round: Int) {
            switch self {
            case .loaded(let added, let removedTemporary):
                #expect(log.contains("added_from_table=\(added)") && log.contains("index loaded from snapshot"), "round \(round):\n\(log)")
                #expect(log.contains("removed the temporary file of an interrupted snapshot save") == removedTemporary, "round \(round):\n\(log)")
            case .rebuilt(let reason):
                #expect(log.contains("index rebuilt from the items table") && log.contains(reason), "round \(round):\n\(log)")
            }
        }
    }

    /// After round 1 the snapshot is stale (written empty at the first start) and an
    /// interrupted save left its temporary file; after round 2 it is truncated; after round 3
    /// one byte of it is flipped.
    static func damageSnapshot(_ snapshot: URL, round: Int, tableItems: Int) throws -> Expectation {
        switch round {
        case 1:
            let directory = snapshot.deletingLastPathComponent()
            // No process has pid 2^31 − 2: the save was interrupted for good.
            let temporary = directory.appendingPathComponent(".\(snapshot.lastPathComponent).tmp-2147483646-1")
            try Data(repeating: 0x5A, count: 1000).write(to: temporary)
            return .loaded(addedFromTable: tableItems, removedTemporary: true)
        case 2:
            let bytes = try Data(contentsOf: snapshot)
            try bytes.prefix(bytes.count / 2).write(to: snapshot)
            return .rebuilt("snapshot unreadable")
        default:
            try flipVectorByte(snapshot)
            return .rebuilt("snapshot unreadable")
        }
    }

    /// Flips one byte in the middle of the `VECS` section (found through the section table,
    /// Docs/IndexFormat.md), where only the section checksum can notice it.
    static func flipVectorByte(_ url: URL) throws {
        var bytes = [UInt8](try Data(contentsOf: url))
        func integer(at offset: Int, size: Int) -> Int {
            (0..<size).reduce(0) { value, i in value | Int(bytes[offset + i]) << (8 * i) }
        }
        let sections = integer(at: 16, size: 4)
        for section in 0..<sections {
            let entry = 64 + section * 32
            guard Array(bytes[entry..<entry + 4]) == Array("VECS".utf8) else { continue }
            let offset = integer(at: entry + 8, size: 8)
            let length = integer(at: entry + 16, size: 8)
            try #require(length > 0, "the snapshot holds no vectors")
            bytes[offset + length / 2] ^= 0xFF
            try Data(bytes).write(to: url)
            return
        }
        Issue.record("no VECS section in \(url.path)")
    }

    /// `serve` arguments and the snapshot path: SQLite uses the default snapshot beside the
    /// database; PostgreSQL names one in a configuration file.
    static func serveArguments(_ database: TestDatabase, directory: URL) throws -> ([String], URL) {
        switch database {
        case .sqlite(let path):
            return (["--database", path], URL(fileURLWithPath: path + ".hnsw"))
        case .postgres(let url):
            let snapshot = directory.appendingPathComponent("items.hnsw")
            let configuration = directory.appendingPathComponent("service.json")
            try JSONSerialization.data(withJSONObject: ["index_snapshot": snapshot.path]).write(to: configuration)
            return (["--postgres", url, "--config", configuration.path], snapshot)
        }
    }
}

/// What the server acknowledged, across rounds, and what the kills cut.
final class Ledger: Sendable {
    struct Item: Sendable {
        var id: Int64
        var name: String
        var sha256: String
    }

    struct Classification: Sendable {
        var requestID: String
        var sha256: String
        var label: String
        var confidence: Double
        var cacheHit: Bool
    }

    struct State: Sendable {
        var items: [Int64: Item] = [:]
        var deleted: Set<Int64> = []
        /// Deletions sent but not acknowledged: they may or may not have committed.
        var deletionsCut: Set<Int64> = []
        var classifications: [Classification] = []
        var roundAcknowledged = 0
        var unacknowledged = 0
        var unexpected: [String] = []
    }

    private let state = Mutex(State())

    var snapshot: State { state.withLock { $0 } }
    var roundAcknowledged: Int { state.withLock { $0.roundAcknowledged } }
    var summary: (items: Int, deleted: Int, classifications: Int, unacknowledged: Int, unexpected: [String]) {
        state.withLock { ($0.items.count, $0.deleted.count, $0.classifications.count, $0.unacknowledged, $0.unexpected) }
    }

    func startRound() { state.withLock { $0.roundAcknowledged = 0 } }
    func cut() { state.withLock { $0.unacknowledged += 1 } }
    func unexpected(_ text: String) { state.withLock { $0.unexpected.append(text) } }

    func acknowledge(item: Item) {
        state.withLock {
            $0.items[item.id] = item
            $0.roundAcknowledged += 1
        }
    }

    func deleting(_ id: Int64) { state.withLock { _ = $0.deletionsCut.insert(id) } }

    func acknowledge(deletion id: Int64) {
        state.withLock {
            $0.deletionsCut.remove(id)
            $0.deleted.insert(id)
            $0.roundAcknowledged += 1
        }
    }

    func acknowledge(classification: Classification) {
        state.withLock {
            $0.classifications.append(classification)
            $0.roundAcknowledged += 1
        }
    }
}

/// The requests of the crash test over one connection; each 2xx answer goes into the ledger.
struct CrashClient: Sendable {
    let client: TestClient
    let port: Int

    struct Answer: @unchecked Sendable {
        let status: HTTPResponse.Status
        let body: [UInt8]
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, contentType: String? = nil, body: [UInt8]? = nil) async throws -> Answer {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        let response = try await client.execute(
            TestClient.Request(uri, method: method, authority: "127.0.0.1:\(port)", headers: headers, body: body.map { ByteBuffer(bytes: $0) }))
        return Answer(status: response.status, body: response.body.map { Array($0.readableBytesView) } ?? [])
    }

    func get(_ uri: String) async throws -> Answer { try await send(.get, uri) }

    /// Registers an item (multipart, or JSON with base64); its id when acknowledged.
    func register(name: String, photo: [UInt8], json: Bool, ledger: Ledger) async throws -> Int64? {
        let answer: Answer
        if json {
            let body = try JSONSerialization.data(withJSONObject: ["name": name, "category": "crash", "image_base64": Data(photo).base64EncodedString()])
            answer = try await send(.post, "/v1/items", contentType: "application/json", body: [UInt8](body))
        } else {
            let form = TestHTTP.multipart([("name", nil, Array(name.utf8)), ("category", nil, Array("crash".utf8)), ("image", "photo.jpg", photo)])
            answer = try await send(.post, "/v1/items", contentType: form.contentType, body: form.body)
        }
        guard answer.status == .created, let id = answer.json["id"] as? Int, let sha256 = answer.json["sha256"] as? String else {
            ledger.unexpected("POST /v1/items: \(answer.status) \(answer.text)")
            return nil
        }
        ledger.acknowledge(item: .init(id: Int64(id), name: name, sha256: sha256))
        return Int64(id)
    }

    func delete(_ id: Int64, ledger: Ledger) async throws {
        ledger.deleting(id)
        let answer = try await send(.delete, "/v1/items/\(id)")
        guard answer.status == .noContent else { return ledger.unexpected("DELETE /v1/items/\(id): \(answer.status) \(answer.text)") }
        ledger.acknowledge(deletion: id)
    }

    @discardableResult
    func classify(_ photo: [UInt8], ledger: Ledger) async throws -> Ledger.Classification? {
        let answer = try await send(.post, "/v1/classify", contentType: "image/jpeg", body: photo)
        let json = answer.json
        guard answer.status == .ok, let requestID = json["request_id"] as? String, let sha256 = json["sha256"] as? String,
            let label = json["class"] as? String, let confidence = json["confidence"] as? Double, let cache = json["cache"] as? String
        else {
            ledger.unexpected("POST /v1/classify: \(answer.status) \(answer.text)")
            return nil
        }
        let classification = Ledger.Classification(requestID: requestID, sha256: sha256, label: label, confidence: confidence, cacheHit: cache == "hit")
        ledger.acknowledge(classification: classification)
        return classification
    }
}

