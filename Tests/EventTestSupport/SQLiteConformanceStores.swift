import EventProcessing
import EventRuntimeSQLite
import EventTestKit
import Foundation

/// SQLite's inbox and outbox as the store conformance suite sees them: the outbox in one
/// database (the producing service's), the inbox and the effects in another (the consuming one's).
public struct SQLiteConformanceStores: ConformanceStores {
    let sourceDatabase: SQLiteDatabase
    let effectsDatabase: SQLiteDatabase
    let sqliteOutbox: SQLiteOutbox
    public let inbox: any InboxStore

    public var name: String { "SQLite" }
    public var outbox: any OutboxStore { sqliteOutbox }
    public var relays: Int { 1 }

    /// Fresh databases in the scratch folder.
    public init() async throws {
        sourceDatabase = try SQLiteDatabase(path: scratchFolder + "/simulation-source-\(UUID().uuidString).sqlite")
        effectsDatabase = try SQLiteDatabase(path: scratchFolder + "/simulation-effects-\(UUID().uuidString).sqlite")
        sqliteOutbox = try await SQLiteOutbox(database: sourceDatabase, source: "/simulation")
        try await effectsDatabase.transaction {
            try $0.execute("CREATE TABLE effects (sequence INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, event INTEGER NOT NULL)")
        }
        inbox = try await SQLiteInbox(database: effectsDatabase)
    }

    public func publish(_ event: ConformanceOrder, rollback: Bool) async throws {
        try await sourceDatabase.transaction { transaction in
            try sqliteOutbox.publish(event, in: transaction)
            if rollback { throw ConformanceRollback() }
        }
    }

    public func recordEffect(key: String, event: Int) async throws {
        try SQLiteInbox.requiredTransaction().execute("INSERT INTO effects (key, event) VALUES (?, ?)", [.text(key), .integer(Int64(event))])
    }

    public func effects() async throws -> [(key: String, event: Int)] {
        try await effectsDatabase.transaction { transaction in
            try transaction.query("SELECT key, event FROM effects ORDER BY sequence").compactMap { row -> (key: String, event: Int)? in
                guard let key = row.first?.text, let event = row.last?.integer else { return nil }
                return (key, Int(event))
            }
        }
    }
}
