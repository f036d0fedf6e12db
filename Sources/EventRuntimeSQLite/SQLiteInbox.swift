import EventProcessing
import Foundation

/// The inbox in SQLite: the handler runs inside the transaction that records the event id, so
/// the handler's own writes (through `SQLiteInbox.transaction`) and the id commit together or not
/// at all — a redelivery then finds the id and is skipped.
public final class SQLiteInbox: InboxStore {
    /// The database the inbox's table, and the handlers' writes, are in.
    public let database: SQLiteDatabase

    /// The transaction the current handler runs in, for its own writes.
    static let handlerTransaction = InboxTransaction<SQLiteTransaction>(inbox: "SQLiteInbox", construction: "SQLiteInbox(database:)")

    /// The transaction the current handler runs in, for its own writes; nil outside one. Prefer
    /// `requiredTransaction()`, which fails loudly where this would let a handler skip its work.
    public static var transaction: SQLiteTransaction? { handlerTransaction.current }

    /// The transaction the current handler runs in. Throws `NotInTransaction` when there is none
    /// (see `InboxTransaction.required()`); the processor stops on it, committing nothing.
    public static func requiredTransaction() throws(NotInTransaction) -> SQLiteTransaction {
        try handlerTransaction.required()
    }

    /// A handler needed `SQLiteInbox`'s transaction and was not run inside one.
    public typealias NotInTransaction = NotInInboxTransaction

    /// Creates or migrates the `inbox` table in `database` (see `schema`) before returning.
    public init(database: SQLiteDatabase) async throws {
        self.database = database
        try await database.migrate(Self.schema)
    }

    /// The inbox's table, recorded in `schema_migrations` as `eventcontracts.inbox`. The first
    /// step is `IF NOT EXISTS` because databases written before the table was versioned (0.9)
    /// already hold it: they migrate on open, their rows kept.
    public static let schema = StoreSchema(name: "eventcontracts.inbox", steps: [
        """
        CREATE TABLE IF NOT EXISTS inbox (
            group_id TEXT NOT NULL, event_id TEXT NOT NULL, processed_at INTEGER NOT NULL,
            PRIMARY KEY (group_id, event_id)) WITHOUT ROWID
        """,
    ])

    /// Runs `body` in the transaction that records `id`, unless `group` processed it already.
    public func processOnce(id: String, group: String, _ body: @Sendable () async throws -> Void) async throws -> Bool {
        try await database.transaction { transaction in
            let now = SystemClock().milliseconds()
            let inserted = try transaction.execute(
                "INSERT OR IGNORE INTO inbox (group_id, event_id, processed_at) VALUES (?, ?, ?)",
                [.text(group), .text(id), .integer(now)])
            guard inserted == 1 else { return false }
            try await Self.handlerTransaction.run(in: transaction) { try await body() }
            return true
        }
    }

    /// Runs `body` with the ids `group` has not processed, in the transaction that records them.
    public func processBatchOnce(ids: [String], group: String, _ body: @Sendable ([Int]) async throws -> Void) async throws -> [Int] {
        try await database.transaction { transaction in
            let now = SystemClock().milliseconds()
            var fresh: [Int] = []
            for (index, id) in ids.enumerated() {
                let inserted = try transaction.execute(
                    "INSERT OR IGNORE INTO inbox (group_id, event_id, processed_at) VALUES (?, ?, ?)",
                    [.text(group), .text(id), .integer(now)])
                if inserted == 1 { fresh.append(index) }
            }
            guard !fresh.isEmpty else { return [] }
            let indices = fresh
            try await Self.handlerTransaction.run(in: transaction) { try await body(indices) }
            return fresh
        }
    }

    /// How many ids the group has recorded.
    public func count(group: String) async throws -> Int {
        try await database.transaction { transaction in
            Int(try transaction.query("SELECT COUNT(*) FROM inbox WHERE group_id = ?", [.text(group)]).first?.first?.integer ?? 0)
        }
    }

    /// Forgets the ids `group` processed before `cutoff` (milliseconds since 1970). Returns how many went.
    ///
    /// The table has no index by age: one would cost every insert (~13% of the batched inbox's
    /// throughput, measured), while this runs once in a while. So it walks the group's ids in key
    /// order, `chunk` rows per transaction: the handlers' transactions get the database between
    /// chunks instead of waiting out one long scan. Cancellation stops it between chunks.
    @discardableResult
    public func removeEntries(group: String, processedBefore cutoff: Int64) async throws -> Int {
        try await removeEntries(group: group, processedBefore: cutoff, chunk: 5_000)
    }

    /// `removeEntries(group:processedBefore:)` with `chunk` rows per transaction.
    @discardableResult
    public func removeEntries(group: String, processedBefore cutoff: Int64, chunk: Int) async throws -> Int {
        var removed = 0
        var after: String?
        while true {
            let (count, last) = try await database.transaction { transaction -> (Int, String?) in
                let start = after.map { [SQLiteValue.text($0)] } ?? []
                let range = after == nil ? "" : " AND event_id > ?"
                // The chunk's last key (or none: the rest of the group is one chunk).
                let last = try transaction.query(
                    "SELECT event_id FROM inbox WHERE group_id = ?\(range) ORDER BY event_id LIMIT 1 OFFSET ?",
                    [.text(group)] + start + [.integer(Int64(max(1, chunk) - 1))]
                ).first?.first?.text
                let upTo = last == nil ? "" : " AND event_id <= ?"
                let count = try transaction.execute(
                    "DELETE FROM inbox WHERE group_id = ?\(range)\(upTo) AND processed_at < ?",
                    [.text(group)] + start + (last.map { [.text($0)] } ?? []) + [.integer(cutoff)])
                return (count, last)
            }
            removed += count
            // A cancelled caller (a processor shutting down) stops between chunks, keeping what went.
            guard let last, !Task.isCancelled else { return removed }
            after = last
        }
    }
}
