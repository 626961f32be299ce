import Classifier
import Foundation
import Logging
import PostgresNIO
import Server
import Testing

/// Two instances sharing one database: items registered or deleted through one reach the
/// other's similar-items index through the `item_changes` log.
@Suite("Index synchronisation between instances")
struct IndexSyncTests {
    @Test(arguments: ServiceSuites.databases)
    func registrationsAndDeletionsThroughAnotherInstanceReachTheIndex(_ kind: String) async throws {
        try await TestDatabase.with(kind) { database in
            try await Self.withStores(database, count: 2) { stores in
                let (writer, reader) = (stores[0], stores[1])
                try await writer.migrate()
                try await reader.migrate()
                let index = try ItemIndex(dimension: 4, modelVersion: "m1")
                let synchronizer = IndexSynchronizer(
                    store: reader, indexes: [index], after: try await reader.latestItemChange(), logger: TestServer.quietLogger)

                let east = try await writer.insertItem(NewItem(name: "east", category: "c", sha256: "a", modelVersion: "m1", embedding: [1, 0, 0, 0]))
                let north = try await writer.insertItem(NewItem(name: "north", category: "c", sha256: "b", modelVersion: "m1", embedding: [0, 1, 0, 0]))
                _ = try await writer.insertItem(NewItem(name: "other model", category: "c", sha256: "c", modelVersion: "m2", embedding: [1, 0, 0, 0]))
                #expect(index.count == 0)
                #expect(try await synchronizer.synchronize() == 2)
                #expect(index.count == 2)
                #expect(try index.similar(to: [0.9, 0.1, 0, 0], k: 1).map(\.id) == [east.id])
                #expect(try index.similar(to: [0, 1, 0, 0], k: 1).first?.distance == 0)

                // Already applied: the overlap window re-reads them, nothing changes.
                #expect(try await synchronizer.synchronize() == 0)

                #expect(try await writer.deleteItem(id: east.id))
                #expect(try await synchronizer.synchronize() == 1)
                #expect(index.count == 1)
                #expect(try index.similar(to: [1, 0, 0, 0], k: 5).map(\.id) == [north.id])

                // Registered and deleted between two ticks: never indexed.
                let brief = try await writer.insertItem(NewItem(name: "brief", category: "c", sha256: "d", modelVersion: "m1", embedding: [0, 0, 1, 0]))
                #expect(try await writer.deleteItem(id: brief.id))
                #expect(try await synchronizer.synchronize() == 0)
                #expect(!index.contains(brief.id))
                #expect(synchronizer.appliedThrough == (try await reader.latestItemChange()))
            }
        }
    }

    /// Opens `count` independent stores (connections) on one database.
    static func withStores(_ database: TestDatabase, count: Int, _ body: ([any Store]) async throws -> Void) async throws {
        switch database {
        case .sqlite(let path):
            try await body(try (0..<count).map { _ in try SQLiteStore(path: path) })
        case .postgres(let url):
            let stores = try (0..<count).map { _ in try PostgresStore(url: url, logger: TestServer.quietLogger) }
            let clients = stores.map { store in Task { await store.client.run() } }
            defer { clients.forEach { $0.cancel() } }
            try await body(stores)
        }
    }
}
