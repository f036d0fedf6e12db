import EventProcessing
import Foundation
import Tracing

/// The transactional outbox in SQLite: an event is written to the `outbox` table in the same
/// transaction as the business change that caused it, so it is published if and only if that
/// change commits. `OutboxRelay` publishes the rows.
public final class SQLiteOutbox: OutboxStore {
    /// The database the rows are written to, in the caller's transactions.
    public let database: SQLiteDatabase
    /// The CloudEvents `source` of what this service publishes.
    public let source: String
    /// Stores the trace context of the business transaction with each row, so the relay's
    /// producer span, and the consumers' after it, continue that trace across the database.
    public let tracing: EventTracing
    /// The ids Avro events are framed with in the rows (see `EventPublisher.schemaIds`).
    public let schemaIds: any SchemaIdResolver

    /// Creates or migrates the `outbox` table in `database` (see `schema`) before returning.
    public init(database: SQLiteDatabase, source: String, tracing: EventTracing = .system, schemaIds: any SchemaIdResolver = .derived) async throws {
        self.database = database
        self.source = source
        self.tracing = tracing
        self.schemaIds = schemaIds
        try await database.migrate(Self.schema)
    }

    /// The outbox's table, recorded in `schema_migrations` as `eventcontracts.outbox`. The first
    /// steps are `IF NOT EXISTS` because databases written before the table was versioned (0.9)
    /// already hold them: they migrate on open, their rows kept.
    public static let schema = StoreSchema(name: "eventcontracts.outbox", steps: [
        """
        CREATE TABLE IF NOT EXISTS outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, key BLOB, value BLOB NOT NULL,
            headers BLOB NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER)
        """,
        "CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (sent_at, id)",
    ])

    /// Writes `event` to the outbox inside `transaction` (the caller's business transaction).
    public func publish<Event: EventContract>(
        _ event: Event, in transaction: SQLiteTransaction, id: UUID = TimeOrderedUUID.next(), time: Timestamp = .now
    ) throws {
        var record = try EventPublisher.record(for: event, source: source, schemaIds: schemaIds, id: id, time: time)
        if tracing.tracer != nil, let context = InstrumentationContext.current { tracing.inject(context, into: &record.headers) }
        try transaction.execute(
            "INSERT INTO outbox (topic, key, value, headers, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(record.topic), record.key.map { .blob($0) } ?? .null, .blob(record.value),
             .blob(RecordHeaderCoding.encode(record.headers)), .integer(SystemClock().milliseconds())])
    }

    /// Sends the oldest unsent rows, then marks them sent. SQLite has one writer, so one relay at a
    /// time: rows go in the order they were written. The database is not held while `send` runs
    /// (the service's transactions go on meanwhile).
    public func relayNextRows(limit: Int, _ send: ([OutgoingRecord]) async throws -> Void) async throws -> Int {
        let rows = try await pending(limit: limit)
        guard let first = rows.first?.id, let last = rows.last?.id else { return 0 }
        try await send(rows.map(\.record))
        try await database.transaction { transaction in
            try transaction.execute(
                "UPDATE outbox SET sent_at = ? WHERE id BETWEEN ? AND ? AND sent_at IS NULL",
                [.integer(SystemClock().milliseconds()), .integer(first), .integer(last)])
        }
        return rows.count
    }

    /// Rows not yet sent, oldest first. A row that does not read back is refused, not skipped:
    /// skipping it would mark it sent with its neighbours.
    private func pending(limit: Int) async throws -> [(id: Int64, record: OutgoingRecord)] {
        try await database.transaction { transaction in
            try transaction.query(
                "SELECT id, topic, key, value, headers FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?",
                [.integer(Int64(limit))]
            ).map { row -> (id: Int64, record: OutgoingRecord) in
                guard row.count == 5, let id = row[0].integer else { throw OutboxRowDamaged(store: database.path, rowId: -1) }
                guard let topic = row[1].text, let value = row[3].blob, let headers = row[4].blob.flatMap(RecordHeaderCoding.decode)
                else { throw OutboxRowDamaged(store: database.path, rowId: id) }
                return (id, OutgoingRecord(topic: topic, key: row[2].blob, value: value, headers: headers))
            }
        }
    }

    /// Deletes rows sent before `cutoff` (milliseconds since 1970).
    @discardableResult
    public func removeSent(before cutoff: Int64) async throws -> Int {
        try await database.transaction { transaction in
            try transaction.execute("DELETE FROM outbox WHERE sent_at IS NOT NULL AND sent_at < ?", [.integer(cutoff)])
        }
    }

    /// How many rows wait to be sent.
    public func pendingCount() async throws -> Int {
        try await database.transaction { transaction in
            Int(try transaction.query("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").first?.first?.integer ?? 0)
        }
    }
}
