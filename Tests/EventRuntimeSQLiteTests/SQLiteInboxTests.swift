import EventRuntime
import EventRuntimeSQLite
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import Synchronization
import Testing

/// A fresh database for a test, inside this test process's scratch folder.
func temporaryDatabase(_ name: String = #function) throws -> SQLiteDatabase {
    try SQLiteDatabase(path: scratchFolder + "/\(name.filter(\.isLetter))-\(UUID().uuidString).sqlite")
}

struct Boom: Error {}

@Suite("SQLite inbox")
struct SQLiteInboxTests {
    private func prepareLedger(_ database: SQLiteDatabase) async throws {
        try await database.transaction { try $0.execute("CREATE TABLE ledger (entry TEXT NOT NULL)") }
    }

    private func ledger(_ database: SQLiteDatabase) async throws -> [String] {
        try await database.transaction { try $0.query("SELECT entry FROM ledger ORDER BY rowid").compactMap { $0.first?.text } }
    }

    @Test("the handler's writes and the event id commit together; a duplicate is skipped")
    func handlerWritesCommitWithTheId() async throws {
        let database = try temporaryDatabase()
        try await prepareLedger(database)
        let inbox = try await SQLiteInbox(database: database)
        for _ in 0..<2 {
            _ = try await inbox.processOnce(id: "e1", group: "g") {
                try SQLiteInbox.transaction?.execute("INSERT INTO ledger (entry) VALUES ('paid e1')")
            }
        }
        #expect(try await ledger(database) == ["paid e1"])
        #expect(try await inbox.count(group: "g") == 1)
        // Another group processes the same event independently.
        #expect(try await inbox.processOnce(id: "e1", group: "other") {})
    }

    @Test("a handler that throws rolls back its writes and leaves no id, so the retry runs it again")
    func failureRollsBack() async throws {
        let database = try temporaryDatabase()
        try await prepareLedger(database)
        let inbox = try await SQLiteInbox(database: database)
        await #expect(throws: Boom.self) {
            _ = try await inbox.processOnce(id: "e1", group: "g") {
                try SQLiteInbox.transaction?.execute("INSERT INTO ledger (entry) VALUES ('half done')")
                throw Boom()
            }
        }
        #expect(try await ledger(database).isEmpty)
        #expect(try await inbox.processOnce(id: "e1", group: "g") {
            try SQLiteInbox.transaction?.execute("INSERT INTO ledger (entry) VALUES ('done')")
        })
        #expect(try await ledger(database) == ["done"])
    }

    @Test("processed ids survive reopening the database; old entries can be removed")
    func idsArePersistent() async throws {
        let database = try temporaryDatabase()
        let inbox = try await SQLiteInbox(database: database)
        #expect(try await inbox.processOnce(id: "e1", group: "g") {})
        let reopened = try await SQLiteInbox(database: try SQLiteDatabase(path: database.path))
        #expect(try await !reopened.processOnce(id: "e1", group: "g") { Issue.record("ran twice") })
        #expect(try await reopened.removeEntries(group: "g", processedBefore: Int64(Date().timeIntervalSince1970 * 1000) + 1) == 1)
        #expect(try await reopened.count(group: "g") == 0)
        #expect(try await reopened.processOnce(id: "e1", group: "g") {}, "a forgotten id is processed again")
    }

    @Test("removing entries deletes exactly the group's ids older than the cutoff, chunk by chunk")
    func removeEntriesIsExactPerGroupAndChunked() async throws {
        let database = try temporaryDatabase()
        let inbox = try await SQLiteInbox(database: database)
        // 2,345 ids processed at 0…2,344 ms, in shuffled key order; another group's ids are all old.
        var generator = SystemRandomNumberGenerator()
        let times = Array(0..<2_345).shuffled(using: &generator)
        try await database.transaction { transaction in
            for (index, time) in times.enumerated() {
                try transaction.execute(
                    "INSERT INTO inbox (group_id, event_id, processed_at) VALUES ('g', ?, ?)", [.text("id-\(index)"), .integer(Int64(time))])
            }
            for index in 0..<100 {
                try transaction.execute("INSERT INTO inbox (group_id, event_id, processed_at) VALUES ('h', ?, 0)", [.text("id-\(index)")])
            }
        }
        var left = 2_345
        for (chunk, cutoff) in [(1_000, 1_000), (7, 1_300), (5_000, 2_345)] {
            let removed = try await inbox.removeEntries(group: "g", processedBefore: Int64(cutoff), chunk: chunk)
            #expect(removed == left - (2_345 - cutoff), "chunk \(chunk)")
            left = 2_345 - cutoff
            #expect(try await inbox.count(group: "g") == left)
            let oldest = try await database.transaction { try $0.query("SELECT MIN(processed_at) FROM inbox WHERE group_id = 'g'") }
            #expect(left == 0 || oldest.first?.first?.integer == Int64(cutoff))
        }
        #expect(try await inbox.count(group: "h") == 100)
        // Cancelled, it stops after its first chunk.
        let cancelled = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await inbox.removeEntries(group: "h", processedBefore: 1, chunk: 10)
        }
        #expect(try await cancelled.value == 10)
        #expect(try await inbox.count(group: "h") == 90)
    }

    @Test("concurrent handlers on one database are serialised, each in its own transaction")
    func concurrentTransactionsAreSerialised() async throws {
        let database = try temporaryDatabase()
        try await prepareLedger(database)
        let inbox = try await SQLiteInbox(database: database)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<50 {
                group.addTask {
                    try await inbox.processOnce(id: "e\(index % 25)", group: "g") {
                        try SQLiteInbox.transaction?.execute("INSERT INTO ledger (entry) VALUES (?)", [.text("e\(index % 25)")])
                        await Task.yield()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(Set(try await ledger(database)).count == 25)
        #expect(try await ledger(database).count == 25)
    }

    @Test("with the processor: a redelivered PaymentCompleted takes effect once")
    func processorWithSQLiteInbox() async throws {
        let database = try temporaryDatabase()
        try await prepareLedger(database)
        let inbox = try await SQLiteInbox(database: database)
        let statistics = try await StoreConformance.deliverTwice(inbox: inbox) { event in
            try SQLiteInbox.transaction?.execute("INSERT INTO ledger (entry) VALUES (?)", [.text(event.orderId)])
        }
        #expect(statistics.handled == 1 && statistics.duplicatesSkipped == 1)
        #expect(try await ledger(database) == ["o-1"])
    }
}

@Suite("SQLite values")
struct SQLiteValueTests {
    @Test("text with NUL and non-ASCII characters, blobs and integers round-trip whole")
    func valuesRoundTrip() async throws {
        let database = try temporaryDatabase()
        let text = "key\u{0}ProductLiked\u{0}1\u{0}{\"é\":\"😀\"}"
        let rows = try await database.transaction { transaction in
            try transaction.execute("CREATE TABLE t (a TEXT, b BLOB, c INTEGER)")
            try transaction.execute("INSERT INTO t VALUES (?, ?, ?)", [.text(text), .blob([0, 1, 255]), .integer(-7)])
            return try transaction.query("SELECT a, b, c FROM t WHERE a = ?", [.text(text)])
        }
        #expect(rows == [[.text(text), .blob([0, 1, 255]), .integer(-7)]])
    }

    @Test("cached statements: reused with new bindings, usable after a failure, and past the cache's limit")
    func statementCache() async throws {
        let database = try temporaryDatabase()
        try await database.transaction { try $0.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)") }
        for id in 1...3 {
            let changed = try await database.transaction { try $0.execute("INSERT OR IGNORE INTO t VALUES (?, ?)", [.integer(Int64(id)), .text("n\(id)")]) }
            #expect(changed == 1)
        }
        // The same statement again: ignored (0 changes), and the earlier bindings are not reused.
        #expect(try await database.transaction { try $0.execute("INSERT OR IGNORE INTO t VALUES (?, ?)", [.integer(2), .text("x")]) } == 0)
        // A constraint failure rolls back; the cached statement still works afterwards.
        await #expect(throws: SQLiteError.self) {
            try await database.transaction { try $0.execute("INSERT INTO t VALUES (?, ?)", [.integer(1), .text("dup")]) }
        }
        #expect(try await database.transaction { try $0.execute("INSERT INTO t VALUES (?, ?)", [.integer(4), .text("n4")]) } == 1)
        // More distinct statements than the cache holds.
        let rows = try await database.transaction { transaction in
            try (0..<(SQLiteDatabase.statementCacheLimit + 10)).map { offset in
                try transaction.query("SELECT name FROM t WHERE id = ? AND \(offset) = \(offset)", [.integer(Int64(offset % 4 + 1))])
            }
        }
        #expect(rows.map { $0.first?.first?.text } == (0..<(SQLiteDatabase.statementCacheLimit + 10)).map { "n\($0 % 4 + 1)" })
        #expect(try await database.transaction { try $0.query("SELECT name FROM t ORDER BY id") }.compactMap { $0.first?.text } == ["n1", "n2", "n3", "n4"])
    }
}
