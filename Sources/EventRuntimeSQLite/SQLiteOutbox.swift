import EventProcessing
import Foundation
import Tracing

/// The transactional outbox in SQLite: an event is written to the `outbox` table in the same
/// transaction as the business change that caused it, so it is published if and only if that
/// change commits. `OutboxRelay` publishes the rows.
public final class SQLiteOutbox: Sendable {
    public let database: SQLiteDatabase
    /// The CloudEvents `source` of what this service publishes.
    public let source: String
    /// Stores the trace context of the business transaction with each row, so the relay's
    /// producer span, and the consumers' after it, continue that trace across the database.
    public let tracing: EventTracing

    public init(database: SQLiteDatabase, source: String, tracing: EventTracing = .system) async throws {
        self.database = database
        self.source = source
        self.tracing = tracing
        try await database.transaction { transaction in
            try transaction.execute("""
                CREATE TABLE IF NOT EXISTS outbox (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, topic TEXT NOT NULL, key BLOB, value BLOB NOT NULL,
                    headers BLOB NOT NULL, created_at INTEGER NOT NULL, sent_at INTEGER)
                """)
            try transaction.execute("CREATE INDEX IF NOT EXISTS outbox_pending ON outbox (sent_at, id)")
        }
    }

    /// Writes `event` to the outbox inside `transaction` (the caller's business transaction).
    public func publish<Event: EventContract>(
        _ event: Event, in transaction: SQLiteTransaction, id: UUID = TimeOrderedUUID.next(), time: Timestamp = .now
    ) throws {
        var record = try EventPublisher.record(for: event, source: source, id: id, time: time)
        if tracing.tracer != nil, let context = InstrumentationContext.current { tracing.inject(context, into: &record.headers) }
        try transaction.execute(
            "INSERT INTO outbox (topic, key, value, headers, created_at) VALUES (?, ?, ?, ?, ?)",
            [.text(record.topic), record.key.map { .blob($0) } ?? .null, .blob(record.value),
             .blob(HeaderCoding.encode(record.headers)), .integer(SystemClock().milliseconds())])
    }

    /// Rows not yet sent, oldest first.
    func pending(limit: Int) async throws -> [(id: Int64, record: OutgoingRecord)] {
        try await database.transaction { transaction in
            try transaction.query(
                "SELECT id, topic, key, value, headers FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?",
                [.integer(Int64(limit))]
            ).compactMap { row -> (id: Int64, record: OutgoingRecord)? in
                guard row.count == 5, let id = row[0].integer, let topic = row[1].text, let value = row[3].blob,
                    let headers = row[4].blob.flatMap(HeaderCoding.decode)
                else { return nil }
                return (id, OutgoingRecord(topic: topic, key: row[2].blob, value: value, headers: headers))
            }
        }
    }

    func markSent(_ ids: [Int64], at time: Int64) async throws {
        guard let first = ids.first, let last = ids.last else { return }
        try await database.transaction { transaction in
            try transaction.execute(
                "UPDATE outbox SET sent_at = ? WHERE id BETWEEN ? AND ? AND sent_at IS NULL",
                [.integer(time), .integer(first), .integer(last)])
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

/// Headers as one blob: count, then (name length, name, value length, value), little-endian.
enum HeaderCoding {
    static func encode(_ headers: [RecordHeader]) -> [UInt8] {
        var bytes: [UInt8] = []
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
        append(UInt32(headers.count))
        for header in headers {
            let name = Array(header.name.utf8)
            append(UInt32(name.count))
            bytes += name
            append(UInt32(header.value.count))
            bytes += header.value
        }
        return bytes
    }

    static func decode(_ bytes: [UInt8]) -> [RecordHeader]? {
        var position = 0
        func read() -> UInt32? {
            guard bytes.count - position >= 4 else { return nil }
            defer { position += 4 }
            return UInt32(bytes[position]) | UInt32(bytes[position + 1]) << 8 | UInt32(bytes[position + 2]) << 16
                | UInt32(bytes[position + 3]) << 24
        }
        func take(_ count: UInt32) -> [UInt8]? {
            guard bytes.count - position >= Int(count) else { return nil }
            defer { position += Int(count) }
            return Array(bytes[position..<(position + Int(count))])
        }
        guard let count = read() else { return nil }
        var headers: [RecordHeader] = []
        for _ in 0..<count {
            guard let nameLength = read(), let name = take(nameLength), let valueLength = read(), let value = take(valueLength),
                let text = String(validating: name, as: UTF8.self)
            else { return nil }
            headers.append(RecordHeader(text, bytes: value))
        }
        return position == bytes.count ? headers : nil
    }
}
