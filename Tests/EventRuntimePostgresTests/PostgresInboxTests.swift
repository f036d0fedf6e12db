import EventRuntime
import EventRuntimePostgres
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import Synchronization
import Testing

extension PostgresStoreTests {
    @Suite("PostgreSQL inbox")
    struct InboxTests {
        /// An inbox on fresh tables, and a `ledger` table beside them for the handlers' writes.
        private func withInbox(_ body: @Sendable (PostgresClient, PostgresInbox, _ ledger: String) async throws -> Void) async throws {
            try await PostgresTestServer.withClient { client in
                let tables = try PostgresTestServer.freshTables()
                let inbox = try await PostgresInbox(client: client, tables: tables, logger: PostgresTestServer.logger)
                let ledger = "\"\(tables.schema)\".ledger"
                try await client.run("CREATE TABLE \(ledger) (position bigserial, entry text NOT NULL)")
                try await body(client, inbox, ledger)
            }
        }

        private func entries(_ client: PostgresClient, _ ledger: String) async throws -> [String] {
            try await client.texts("SELECT entry FROM \(unescaped: ledger) ORDER BY position")
        }

        @Test("the handler's writes and the event id commit together; a duplicate is skipped; another group is independent")
        func handlerWritesCommitWithTheId() async throws {
            try await withInbox { client, inbox, ledger in
                for _ in 0..<2 {
                    _ = try await inbox.processOnce(id: "e1", group: "g") {
                        try await PostgresInbox.requiredTransaction().run("INSERT INTO \(ledger) (entry) VALUES ('paid e1')")
                    }
                }
                #expect(try await entries(client, ledger) == ["paid e1"])
                #expect(try await inbox.count(group: "g") == 1)
                #expect(try await inbox.processOnce(id: "e1", group: "other") {})
            }
        }

        @Test("a handler that throws rolls back its writes and leaves no id; its own error comes out; the retry runs it again")
        func failureRollsBack() async throws {
            try await withInbox { client, inbox, ledger async throws in
                await #expect(throws: Boom.self) {
                    _ = try await inbox.processOnce(id: "e1", group: "g") {
                        try await PostgresInbox.requiredTransaction().run("INSERT INTO \(ledger) (entry) VALUES ('half done')")
                        throw Boom()
                    }
                }
                #expect(try await entries(client, ledger).isEmpty)
                #expect(try await inbox.processOnce(id: "e1", group: "g") {
                    try await PostgresInbox.requiredTransaction().run("INSERT INTO \(ledger) (entry) VALUES ('done')")
                })
                #expect(try await entries(client, ledger) == ["done"])
            }
        }

        @Test("two instances with the same id at once: the second waits for the first, then skips it (or runs it, if the first rolled back)")
        func concurrentSameIdWaitsForTheFirst() async throws {
            try await withInbox { client, inbox, ledger in
                for firstCommits in [true, false] {
                    let id = "same-\(firstCommits)"
                    let firstInside = AsyncStream<Void>.makeStream()
                    let release = AsyncStream<Void>.makeStream()
                    let first = Task {
                        try await inbox.processOnce(id: id, group: "g") {
                            try await PostgresInbox.requiredTransaction().run("INSERT INTO \(ledger) (entry) VALUES ('first \(id)')")
                            firstInside.continuation.yield()
                            for await _ in release.stream { break }
                            if !firstCommits { throw Boom() }
                        }
                    }
                    for await _ in firstInside.stream { break }
                    let second = Task {
                        try await inbox.processOnce(id: id, group: "g") {
                            try await PostgresInbox.requiredTransaction().run("INSERT INTO \(ledger) (entry) VALUES ('second \(id)')")
                        }
                    }
                    try await Task.sleep(for: .milliseconds(200))
                    release.continuation.yield()
                    let firstRan = await first.result
                    let secondRan = try await second.value
                    if firstCommits {
                        #expect(try firstRan.get() == true)
                        #expect(secondRan == false, "the second instance ran an id the first committed")
                    } else {
                        #expect(throws: Boom.self) { try firstRan.get() }
                        #expect(secondRan == true, "the second instance skipped an id the first rolled back")
                    }
                }
                #expect(try await entries(client, ledger) == ["first same-true", "second same-false"])
            }
        }

        @Test("a batch is recorded in one statement: already processed ids and repeats within the batch are left out")
        func batchSkipsProcessedAndRepeatedIds() async throws {
            try await withInbox { client, inbox, ledger in
                #expect(try await inbox.processOnce(id: "b", group: "g") {})
                let ids = ["a", "b", "c", "a", "d"]
                let fresh = try await inbox.processBatchOnce(ids: ids, group: "g") { positions in
                    for position in positions {
                        try await PostgresInbox.requiredTransaction().run("INSERT INTO \(ledger) (entry) VALUES ('\(ids[position])')")
                    }
                }
                #expect(fresh == [0, 2, 4])
                #expect(try await entries(client, ledger) == ["a", "c", "d"])
                #expect(try await inbox.processBatchOnce(ids: ids, group: "g") { _ in Issue.record("ran a processed batch") } == [])
                // A failing batch records nothing.
                await #expect(throws: Boom.self) {
                    _ = try await inbox.processBatchOnce(ids: ["x", "y"], group: "g") { _ in throw Boom() }
                }
                #expect(try await inbox.count(group: "g") == 4)
            }
        }

        @Test("natural-key ids: NUL and backslashes kept apart one to one, and ids longer than an index entry, alone and in batches")
        func idsWithNulAndLongIds() async throws {
            try await withInbox { _, inbox, _ async throws in
                let long = "k\u{0}OrderApproved\u{0}1\u{0}" + String(repeating: "{\"x\":\"é\"}", count: 600)
                let ids = ["a\u{0}b", "a\\0b", "a\\\u{0}b", long, long + "!"]
                for id in ids { #expect(try await inbox.processOnce(id: id, group: "g") {}, "\(id.prefix(12))") }
                for id in ids { #expect(try await !inbox.processOnce(id: id, group: "g") { Issue.record("ran twice") }) }
                #expect(try await inbox.processBatchOnce(ids: ids + ["c\u{0}d", long + "?", "c\u{0}d"], group: "g") { _ in } == [5, 6])
                #expect(try await inbox.count(group: "g") == 7)
            }
        }

        @Test("removing entries deletes exactly the group's ids older than the cutoff")
        func removeEntriesIsExactPerGroup() async throws {
            try await withInbox { client, inbox, _ in
                try await client.run("""
                    INSERT INTO "\(inbox.tables.schema)".eventc_inbox (group_id, event_id, processed_at)
                    SELECT 'g', 'id-' || n, n FROM generate_series(0, 2344) AS n
                    UNION ALL SELECT 'h', 'id-' || n, 0 FROM generate_series(0, 99) AS n
                    """)
                #expect(try await inbox.removeEntries(group: "g", processedBefore: 1_000) == 1_000)
                #expect(try await inbox.count(group: "g") == 1_345)
                #expect(try await inbox.removeEntries(group: "g", processedBefore: 1_000) == 0)
                #expect(try await inbox.count(group: "h") == 100)
            }
        }

        @Test("a handler that needs the transaction outside one stops the processor's delivery with NotInTransaction")
        func requiredTransactionOutsideOneThrows() {
            #expect(throws: PostgresInbox.NotInTransaction.self) { try PostgresInbox.requiredTransaction() }
        }

        @Test("with the processor: a redelivered PaymentCompleted takes effect once")
        func processorWithPostgresInbox() async throws {
            try await withInbox { client, inbox, ledger in
                let statistics = try await StoreConformance.deliverTwice(inbox: inbox) { event in
                    try await PostgresInbox.requiredTransaction().query(
                        "INSERT INTO \(unescaped: ledger) (entry) VALUES (\(event.orderId))", logger: PostgresTestServer.logger)
                }
                #expect(statistics.handled == 1 && statistics.duplicatesSkipped == 1)
                #expect(try await entries(client, ledger) == ["o-1"])
            }
        }
    }
}
