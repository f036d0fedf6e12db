import EventProcessing
import EventRuntimePostgres
import Foundation
import Logging
import PostgresNIO
import Testing

extension PostgresStoreTests {
    @Suite("Server faults and the errors that report them")
    struct FaultTests {
        @Test("a statement the server refuses is statementFailed with its SQLSTATE and message, never postgres-nio's generic text")
        func refusedStatementNamesItsCause() async throws {
            try await PostgresTestServer.withClient { client in
                let error = await #expect(throws: PostgresStoreError.self) {
                    _ = try await client.boundedQuery("SELECT * FROM no_such_table_here", logger: PostgresTestServer.logger)
                }
                #expect(error?.code == .statementFailed)
                #expect(error?.isTransient == false)
                #expect(error?.description.contains("42P01") == true, "\(String(describing: error))")
                #expect(error?.description.contains("no_such_table_here") == true)
                #expect(error?.description.contains("Generic description") == false)
            }
        }

        @Test("a store's failure names the store and what it was doing")
        func storeFailureNamesStoreAndOperation() async throws {
            try await PostgresTestServer.withClient { client in
                let tables = try PostgresTestServer.freshTables()
                let inbox = try await PostgresInbox(client: client, tables: tables, logger: PostgresTestServer.logger)
                let table = "\"\(tables.schema)\".\"\(tables.prefix)inbox\""
                try await client.run("DROP TABLE \(table)")
                let error = await #expect(throws: PostgresStoreError.self) { _ = try await inbox.count(group: "g") }
                #expect(error?.store == "PostgresInbox \(table)")
                #expect(error?.operation == "counting the ids of g")
                #expect(error?.code == .statementFailed)
            }
        }

        @Test("a handler whose transaction loses its connection fails the inbox (connectionLost), not the handler: no attempt is spent on it")
        func handlerLosingItsConnectionIsAnInboxFailure() async throws {
            try await PostgresTestServer.withClient { client in
                let inbox = try await PostgresInbox(client: client, tables: try PostgresTestServer.freshTables(), logger: PostgresTestServer.logger)
                let error = await #expect(throws: PostgresStoreError.self) {
                    _ = try await inbox.processOnce(id: "e-1", group: "g") {
                        // What a restart does to the handler's connection, from inside.
                        let connection = try PostgresInbox.requiredTransaction()
                        try await connection.boundedQuery("SELECT pg_terminate_backend(pg_backend_pid())")
                    }
                }
                #expect(error?.code == .connectionLost, "\(String(describing: error))")
                #expect(error?.isTransient == true)
                #expect(error?.store?.hasPrefix("PostgresInbox") == true)
                // Nothing committed: the id runs again (once the pool has a live connection, as the
                // processor's pause after an inbox failure gives it).
                var again = false
                for _ in 0..<50 where !again {
                    do {
                        again = try await inbox.processOnce(id: "e-1", group: "g") {}
                        #expect(again)
                        break
                    } catch let error as PostgresStoreError where error.isTransient {
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                #expect(again)
            }
        }

        @Test("a paused server (SIGSTOP) fails a bounded statement with timedOut, and the pool serves again once it resumes")
        func pausedServerTimesOut() async throws {
            let server = try await PrivatePostgresServer.start()
            defer { Task { await server.stop() } }
            _ = try await server.client.boundedQuery("SELECT 1", logger: PostgresTestServer.logger)
            let pause = Task { try await server.fault(["pause", "4"]) }
            try await Task.sleep(for: .milliseconds(300))
            let started = ContinuousClock.now
            let error = await #expect(throws: PostgresStoreError.self) {
                _ = try await server.client.boundedQuery("SELECT 1", logger: PostgresTestServer.logger, timeout: .seconds(1))
            }
            #expect(error?.code == .timedOut, "\(String(describing: error))")
            #expect(ContinuousClock.now - started < .seconds(3), "the statement waited out the pause")
            try await pause.value
            let rows = try await server.client.boundedQuery("SELECT 1", logger: PostgresTestServer.logger, timeout: .seconds(20))
            #expect(rows.count == 1)
        }

        @Test("a restart and a crash of the server: the outbox's relay and the inbox go on, the errors meanwhile are transient store errors")
        func storesRideThroughRestartAndCrash() async throws {
            let server = try await PrivatePostgresServer.start()
            defer { Task { await server.stop() } }
            let tables = try PostgresTestServer.freshTables()
            let inbox = try await PostgresInbox(client: server.client, tables: tables, logger: PostgresTestServer.logger)
            for (round, mode) in ["fast", "immediate"].enumerated() {
                let first = try await inbox.processOnce(id: "before-\(round)", group: "g") {}
                #expect(first)
                try await server.fault(["restart", mode])
                // The pool's connections died with the server: the first uses fail, transiently, then it serves again.
                var failures: [PostgresStoreError] = []
                var recorded = false
                let deadline = ContinuousClock.now + .seconds(30)
                while !recorded, ContinuousClock.now < deadline {
                    do {
                        recorded = try await inbox.processOnce(id: "after-\(round)", group: "g") {}
                    } catch let error as PostgresStoreError {
                        failures.append(error)
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                #expect(recorded, "the inbox never worked again after a \(mode) restart: \(failures)")
                let allTransient = failures.allSatisfy { $0.isTransient }
                #expect(allTransient, "\(failures)")
                #expect(try await inbox.count(group: "g") == 2 * (round + 1))
            }
        }
    }
}

@Suite("PostgresStoreError without a server")
struct PostgresStoreErrorTests {
    @Test("passwords are removed from the details: in URLs and in key-value settings")
    func passwordsRemoved() {
        let error = PostgresStoreError(
            .serverUnavailable, "cannot connect", store: "PostgresOutbox x", operation: "relaying rows",
            details: #"postgres://shop:s3cr3t@db:5432/shop; configuration(password: "hunter2", user: "u"); password=plain"#)
        let text = error.description
        for secret in ["s3cr3t", "hunter2", "plain"] { #expect(!text.contains(secret), "\(text)") }
        #expect(text.contains("postgres://shop:***@db:5432/shop"))
        #expect(text.hasPrefix("PostgresOutbox x, relaying rows: cannot connect"))
    }

    @Test("an error that is not postgres-nio's is serverUnavailable; a store error keeps its code and gains the store")
    func wrapping() {
        struct SocketFailure: Error {}
        let wrapped = PostgresStoreError.wrapping(SocketFailure(), store: "PostgresInbox i", operation: "counting")
        #expect(wrapped.code == .serverUnavailable && wrapped.isTransient && wrapped.store == "PostgresInbox i")
        let inner = PostgresStoreError(.timedOut, "no answer")
        let placed = PostgresStoreError.wrapping(inner, store: "PostgresInbox i", operation: "counting")
        #expect(placed.code == .timedOut && placed.operation == "counting" && placed.message == "no answer")
        #expect(!PostgresStoreError(.statementFailed, "x").isTransient && !PostgresStoreError(.invalidName, "x").isTransient)
    }
}
