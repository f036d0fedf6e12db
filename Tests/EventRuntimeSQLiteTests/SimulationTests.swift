import EventRuntime
import EventRuntimeSQLite
import Foundation
import GeneratedContracts
import ReliabilitySimulation
import Testing

@Suite("Reliability simulation")
struct SimulationTests {
    @Test("random faults lose nothing acknowledged, duplicate no effect, keep per-key order, and dead-letter exactly the poison and exhausted records")
    func simulationHoldsItsInvariants() async throws {
        try await Simulation.run(seeds: Simulation<SQLiteStores>.seeds()) { try await SQLiteStores() }
    }
}

/// The outbox in one database (the producing service's), the inbox and the effects in another.
struct SQLiteStores: SimulatedStores {
    let sourceDatabase: SQLiteDatabase
    let effectsDatabase: SQLiteDatabase
    let sqliteOutbox: SQLiteOutbox
    let inbox: any InboxStore

    var name: String { "SQLite" }
    var outbox: any OutboxStore { sqliteOutbox }
    var relays: Int { 1 }

    init() async throws {
        sourceDatabase = try temporaryDatabase("simulation-source")
        effectsDatabase = try temporaryDatabase("simulation-effects")
        sqliteOutbox = try await SQLiteOutbox(database: sourceDatabase, source: "/simulation")
        try await effectsDatabase.transaction {
            try $0.execute("CREATE TABLE effects (sequence INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL, event INTEGER NOT NULL)")
        }
        inbox = try await SQLiteInbox(database: effectsDatabase)
    }

    func publish(_ event: OrderApproved, rollback: Bool) async throws {
        try await sourceDatabase.transaction { transaction in
            try sqliteOutbox.publish(event, in: transaction)
            if rollback { throw SimulatedRollback() }
        }
    }

    func recordEffect(key: String, event: Int) async throws {
        try SQLiteInbox.requiredTransaction().execute("INSERT INTO effects (key, event) VALUES (?, ?)", [.text(key), .integer(Int64(event))])
    }

    func effects() async throws -> [(key: String, event: Int)] {
        try await effectsDatabase.transaction { transaction in
            try transaction.query("SELECT key, event FROM effects ORDER BY sequence").compactMap { row -> (key: String, event: Int)? in
                guard let key = row.first?.text, let event = row.last?.integer else { return nil }
                return (key, Int(event))
            }
        }
    }
}
