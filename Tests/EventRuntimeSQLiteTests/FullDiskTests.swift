import EventRuntime
import EventRuntimeSQLite
import EventTestSupport
import Foundation
import GeneratedContracts
import Testing

@Suite("SQLite stores on a full disk", .enabled(if: SmallDisk.isAvailable, Comment(rawValue: SmallDisk.unavailable)))
struct FullDiskTests {
    /// An event of about 8 kB, so a few dozen fill the disk.
    private func bulky(_ index: Int) -> OrderApproved {
        OrderApproved(orderId: "order-\(index)", approvedBy: String(repeating: "x", count: 8_000))
    }

    @Test("the outbox refuses with SQLITE_FULL naming the file, loses nothing committed, and it and the inbox work once space returns")
    func fullDiskRefusesCleanlyAndRecovers() async throws {
        let disk = try SmallDisk(kilobytes: 384)
        defer { disk.unmount() }
        let path = disk.path + "/service.sqlite"
        let database = try SQLiteDatabase(path: path)
        let outbox = try await SQLiteOutbox(database: database, source: "/orders")
        let inbox = try await SQLiteInbox(database: database)

        var committed = 0
        var refusal: SQLiteError?
        for index in 0..<1_000 {
            do {
                try await database.transaction { try outbox.publish(bulky(index), in: $0) }
                committed += 1
            } catch let error as SQLiteError {
                refusal = error
                break
            }
        }
        let full = try #require(refusal, "the disk never filled")
        #expect(full.code == 13, "\(full)")  // SQLITE_FULL
        #expect(full.path == path)
        #expect(committed > 0)
        // Reads still work, and every committed row is there.
        #expect(try await outbox.pendingCount() == committed)
        try disk.grow(toKilobytes: 4_096)
        try await database.transaction { try outbox.publish(bulky(committed), in: $0) }
        #expect(try await outbox.pendingCount() == committed + 1)
        #expect(try await inbox.processOnce(id: "event-1", group: "g") {})
        #expect(try await inbox.count(group: "g") == 1)
    }
}
