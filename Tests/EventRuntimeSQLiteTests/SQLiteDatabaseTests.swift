import EventRuntimeSQLite
import EventTestSupport
import Foundation
import Testing

/// Damaged database files are refused on open, naming the file, before anything reads or writes
/// them: a truncated inbox used to open as an empty one, and deduplication was silently gone.
@Suite("SQLite database files")
struct SQLiteDatabaseTests {
    /// A closed inbox database of many pages (closing checkpoints the write-ahead log into it).
    private func inboxFile() async throws -> String {
        let path = scratchFolder + "/inbox-\(UUID().uuidString).sqlite"
        do {
            let database = try SQLiteDatabase(path: path)
            try await database.migrate("test", steps: ["CREATE TABLE seen (id TEXT PRIMARY KEY, body TEXT)"])
            try await database.transaction { transaction in
                for index in 0..<2_000 {
                    try transaction.execute("INSERT INTO seen VALUES (?, ?)", [.text("event-\(index)"), .text(String(repeating: "x", count: 100))])
                }
            }
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        return path
    }

    private func expectRefused(_ path: String, saying fragment: String) {
        let before = FileManager.default.contents(atPath: path)
        do {
            _ = try SQLiteDatabase(path: path)
            Issue.record("opening \(path) was not refused")
        } catch {
            #expect(error.path == path)
            #expect("\(error)".contains("on \(path): "), "\(error)")
            #expect(error.message.contains(fragment), "\(error.message)")
        }
        #expect(FileManager.default.contents(atPath: path) == before, "the refusal wrote to the file")
    }

    @Test("a truncated database is refused on open, naming its path, and nothing is written to it")
    func truncatedFile() async throws {
        let path = try await inboxFile()
        let whole = try #require(FileManager.default.contents(atPath: path))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        expectRefused(path, saying: "it was cut short")
        try whole.prefix(60).write(to: URL(fileURLWithPath: path))
        expectRefused(path, saying: "shorter than an SQLite header")
    }

    @Test("a damaged page that leaves the size alone is caught by the quick check")
    func damagedPage() async throws {
        let path = try await inboxFile()
        var bytes = try #require(FileManager.default.contents(atPath: path))
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        // Page 3's first byte is its b-tree page type; 0x33 is none of them.
        bytes[2 * pageSize] = 0x33
        try bytes.write(to: URL(fileURLWithPath: path))
        expectRefused(path, saying: "the database is damaged")
        // Opted out of the quick check, the page is found only when read.
        #expect(throws: Never.self) { _ = try SQLiteDatabase(path: path, quickCheck: false) }
    }

    @Test("a file that is not an SQLite database is refused, naming it")
    func notADatabase() throws {
        let path = scratchFolder + "/notes-\(UUID().uuidString).sqlite"
        try Data(String(repeating: "not a database\n", count: 20).utf8).write(to: URL(fileURLWithPath: path))
        expectRefused(path, saying: "not an SQLite database")
    }

    @Test("an intact database opens with its rows; an empty file is an empty database, as SQLite treats it")
    func intactFiles() async throws {
        let path = try await inboxFile()
        let database = try SQLiteDatabase(path: path)
        let count = try await database.transaction { try $0.query("SELECT count(*) FROM seen") }
        #expect(count.first?.first?.integer == 2_000)
        let empty = scratchFolder + "/empty-\(UUID().uuidString).sqlite"
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        _ = try SQLiteDatabase(path: empty)
    }

    @Test("every SQLite error names the database's path")
    func errorsNameThePath() async throws {
        let database = try temporaryDatabase()
        do {
            try await database.transaction { try $0.execute("INSERT INTO missing VALUES (1)") }
            Issue.record("no error")
        } catch let error as SQLiteError {
            #expect(error.path == database.path)
            #expect(error.description.hasPrefix("SQLite error 1 on \(database.path): no such table: missing"), "\(error)")
        }
    }
}
