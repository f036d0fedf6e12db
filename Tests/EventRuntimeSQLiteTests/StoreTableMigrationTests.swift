import EventProcessing
import EventRuntimeSQLite
import EventTestSupport
import Foundation
import GeneratedContracts
import Testing

@Suite("SQLite inbox and outbox tables: versioned, and migrated from unversioned databases")
struct StoreTableMigrationTests {
    /// What 0.9.0's `SQLiteInbox.init` and `SQLiteOutbox.init` ran, before the tables were
    /// versioned, with a row each as that code wrote them.
    static func writeUnversionedDatabase(at path: String) async throws {
        let database = try SQLiteDatabase(path: path)
        try await database.transaction { transaction in
            _ = try transaction.execute("""
                CREATE TABLE IF NOT EXISTS inbox (
                    group_id TEXT NOT NULL, event_id TEXT NOT NULL, processed_at INTEGER NOT NULL,
                    PRIMARY KEY (group_id, event_id)) WITHOUT ROWID
                """)
            _ = try transaction.execute("""
                CREATE TABLE IF NOT EXISTS outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, key BLOB, value BLOB NOT NULL,
                    headers BLOB NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER)
                """)
            _ = try transaction.execute("CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (sent_at, id)")
            _ = try transaction.execute("INSERT INTO inbox VALUES ('billing', 'event-1', 1)")
            _ = try transaction.execute("INSERT INTO outbox (topic, value, headers, created_at) VALUES ('t', x'7b7d', x'', 1)")
        }
    }

    @Test("a database written before versioning migrates on open: its rows kept, the steps recorded, nothing run twice")
    func unversionedDatabaseMigrates() async throws {
        let path = scratchFolder + "/unversioned-\(UUID().uuidString).sqlite"
        try await Self.writeUnversionedDatabase(at: path)

        let database = try SQLiteDatabase(path: path)
        let inbox = try await SQLiteInbox(database: database)
        let outbox = try await SQLiteOutbox(database: database, source: "/tests")
        #expect(try await inbox.processOnce(id: "event-1", group: "billing") {} == false, "the id recorded before is still seen")
        #expect(try await outbox.pendingCount() == 1, "the unsent row is still there")
        let recorded = try await database.transaction { try $0.query("SELECT name, applied FROM schema_migrations ORDER BY name") }
        #expect(recorded == [
            [.text("eventcontracts.inbox"), .integer(Int64(SQLiteInbox.schema.steps.count))],
            [.text("eventcontracts.outbox"), .integer(Int64(SQLiteOutbox.schema.steps.count))],
        ])
        #expect(try await database.migrate(SQLiteInbox.schema.name, steps: SQLiteInbox.schema.steps) == 0, "up to date")
    }

    @Test("tables a newer version migrated further are refused on open, naming the file and what to do")
    func newerTablesRefused() async throws {
        let path = scratchFolder + "/newer-\(UUID().uuidString).sqlite"
        let database = try SQLiteDatabase(path: path)
        _ = try await SQLiteInbox(database: database)
        try await database.migrate(SQLiteInbox.schema.name, steps: SQLiteInbox.schema.steps + ["CREATE TABLE inbox_v2 (x INTEGER)"])
        let error = await #expect(throws: SQLiteError.self) { _ = try await SQLiteInbox(database: database) }
        #expect(error?.path == path)
        #expect(error.map { "\($0)" }?.contains("run that version") == true)
    }
}
