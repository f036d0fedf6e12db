import EventRuntime
import EventRuntimePostgres
import EventTestKit
import Foundation
import GeneratedContracts
import Synchronization
import Testing

extension PostgresStoreTests {
    @Suite("Reliability simulation on PostgreSQL")
    struct SimulationTests {
        @Test("three relays and killed connections: nothing committed lost, no effect twice, each key's effects in order")
        func simulationHoldsItsInvariants() async throws {
            try await PostgresTestServer.withClient { client in
                let violations = try await StoreConformance.run(seeds: StoreConformance.seeds(runs: 2)) { try await PostgresStores(client: client) }
                #expect(violations.isEmpty, "\(violations)")
            }
        }

        @Test("server restarts and crash-restarts under the relays, processors and inboxes: the same invariants hold")
        func simulationSurvivesRestartsAndCrashes() async throws {
            let server = try await PrivatePostgresServer.start()
            defer { Task { await server.stop() } }
            // At most four restarts a run, alternating a clean restart and a crash (no checkpoint,
            // WAL recovery on start), each while relays, processors and inboxes are mid-work.
            let restarts = Mutex(0)
            let violations = try await StoreConformance.run(seeds: StoreConformance.seeds(runs: 1)) {
                try await PostgresStores(client: server.client) { _ in
                    let number = restarts.withLock { count -> Int? in
                        guard count < 4 else { return nil }
                        count += 1
                        return count
                    }
                    guard let number else { return nil }
                    let mode = number.isMultiple(of: 2) ? "immediate" : "fast"
                    try await server.fault(["restart", mode])
                    return "server restarted (\(mode))"
                }
            }
            #expect(restarts.withLock { $0 } > 0, "no restart was injected")
            // Known: in one CI rehearsal (seed 11405371036136557412) a record was dead-lettered as
            // exhausted across the restarts, so some failure a restart causes still spends a
            // handler attempt. Not yet found; the run must still finish, and any other violation fails.
            let exhausted = violations.filter { $0.description.contains("exhausted records in the DLQ") }
            withKnownIssue("a restart can still spend a handler attempt (issue 32, open)", isIntermittent: true) {
                #expect(exhausted.isEmpty, "\(exhausted)")
            }
            #expect(violations.count == exhausted.count, "\(violations)")
        }
    }
}

/// The outbox and the inbox in one database (separate table sets, as two services would have),
/// the effects in a table beside the inbox's.
final class PostgresStores: ConformanceStores {
    let client: PostgresClient
    let postgresOutbox: PostgresOutbox
    let inbox: any InboxStore
    let effectsTable: String
    /// The fault `injectFault` injects: by default a connection of the simulation killed.
    let fault: (@Sendable (PostgresClient) async throws -> String?)?

    var name: String { "PostgreSQL" }
    var outbox: any OutboxStore { postgresOutbox }
    var relays: Int { 3 }

    init(client: PostgresClient, fault: (@Sendable (PostgresClient) async throws -> String?)? = nil) async throws {
        self.client = client
        self.fault = fault
        let schema = try PostgresTestServer.freshTables().schema
        postgresOutbox = try await PostgresOutbox(
            client: client, source: "/simulation", tables: PostgresTables(schema: schema, prefix: "orders_"),
            configuration: .init(logger: PostgresTestServer.logger))
        inbox = try await PostgresInbox(client: client, tables: PostgresTables(schema: schema, prefix: "shipping_"), logger: PostgresTestServer.logger)
        effectsTable = "\"\(schema)\".effects"
        try await client.run("CREATE TABLE \(effectsTable) (sequence bigserial PRIMARY KEY, key text NOT NULL, event integer NOT NULL)")
    }

    func publish(_ event: ConformanceOrder, rollback: Bool) async throws {
        do {
            try await client.withTransaction(logger: PostgresTestServer.logger) { connection in
                try await postgresOutbox.publish(event, in: connection)
                if rollback { throw ConformanceRollback() }
            }
        } catch let error as PostgresTransactionError where error.closureError is ConformanceRollback {
            throw ConformanceRollback()
        }
    }

    func recordEffect(key: String, event: Int) async throws {
        _ = try await PostgresInbox.requiredTransaction().boundedQuery(
            "INSERT INTO \(unescaped: effectsTable) (key, event) VALUES (\(key), \(Int32(event)))")
    }

    func effects() async throws -> [(key: String, event: Int)] {
        try await client.withConnection { connection in
            var effects: [(key: String, event: Int)] = []
            for try await (key, event) in try await connection.boundedQuery(
                "SELECT key, event FROM \(unescaped: effectsTable) ORDER BY sequence"
            ).decode((String, Int32).self) {
                effects.append((key, Int(event)))
            }
            return effects
        }
    }

    /// A connection of the simulation's killed at random (a relay's mid-pass, a handler's
    /// inbox transaction, a relay's listener).
    func injectFault(_ choice: Int) async throws -> String? {
        if let fault { return try await fault(client) }
        let killed = try await client.count("""
            SELECT count(pg_terminate_backend(pid)) FROM (SELECT pid FROM pg_stat_activity
            WHERE application_name = 'eventc-tests' AND pid <> pg_backend_pid() ORDER BY random() LIMIT 1) AS victim
            """)
        return killed > 0 ? "killed connections" : nil
    }
}
