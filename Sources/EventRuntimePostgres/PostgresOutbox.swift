import EventProcessing
import Foundation
import Logging
import PostgresNIO
import Tracing

/// The transactional outbox in PostgreSQL: an event is written in the same transaction as the
/// business change that caused it (`publish(_:in:)`), and `OutboxRelay` publishes the rows. Any
/// number of relays may run at once, in one process or in every replica of the service.
///
/// **Order per key, with several relays.** Each row carries its key's bucket (a stable hash of
/// topic and key, one of 64). A relay's pass is one transaction: it takes a transaction-level
/// advisory lock on up to `bucketsPerPass` buckets that have rows waiting (skipping the ones
/// another relay holds, as `SKIP LOCKED` skips rows), sends their oldest rows, marks them sent and
/// commits, which releases the buckets. So a key's rows go to one relay at a time, oldest first.
///
/// **No gaps.** `publish` takes the same lock in shared mode until its transaction ends, so a
/// relay holds a bucket only when no transaction writing to it is still open: a row with a
/// smaller id can never commit after a larger one was sent. (A business transaction writing to
/// a bucket a relay holds waits for that pass, a few milliseconds.)
///
/// **A relay that dies** (its process, its connection, the server) ends its transaction: its
/// locks go with it, its rows stay unsent, and the next pass of any relay sends them, again if
/// they had reached the broker (same `ce_id`: the consumers' inbox skips the copy). A relay stuck
/// longer than `claimTimeout` inside a pass is ended by the server
/// (`idle_in_transaction_session_timeout`), so its buckets do not stay held.
///
/// **Latency.** A trigger NOTIFYs the outbox's channel when rows commit; relays LISTEN and wake
/// at once. The relay's `idleInterval` is then only the fallback poll.
public final class PostgresOutbox: OutboxStore {
    /// The relay's settings.
    public struct Configuration: Sendable {
        /// How many buckets (of 64) one pass takes at most, so the others stay free for other relays.
        public var bucketsPerPass: Int
        /// How long a pass may hold its buckets while its sends stall before the server ends it.
        public var claimTimeout: Duration
        /// Where the outbox logs.
        public var logger: Logger

        /// Settings; the defaults suit one to a few relays.
        public init(bucketsPerPass: Int = 16, claimTimeout: Duration = .seconds(60), logger: Logger = Logger(label: "eventcontracts.postgres-outbox")) {
            self.bucketsPerPass = bucketsPerPass
            self.claimTimeout = claimTimeout
            self.logger = logger
        }
    }

    /// The connection pool the outbox writes and relays through.
    public let client: PostgresClient
    /// The tables it uses (their schema-qualified names).
    public let tables: PostgresTables
    /// The CloudEvents `source` of what this service publishes.
    public let source: String
    /// The producer spans around relayed sends.
    public let tracing: EventTracing
    /// Its settings.
    public let configuration: Configuration
    /// The ids Avro events are framed with in the rows (see `EventPublisher.schemaIds`).
    public let schemaIds: any SchemaIdResolver

    /// Creates or migrates the tables (see `PostgresTables`) before returning.
    public init(
        client: PostgresClient, source: String, tables: PostgresTables = .standard, tracing: EventTracing = .system,
        configuration: Configuration = Configuration(), schemaIds: any SchemaIdResolver = .derived
    ) async throws {
        self.client = client
        self.source = source
        self.tables = tables
        self.tracing = tracing
        self.configuration = configuration
        self.schemaIds = schemaIds
        try await PostgresSchema.migrate(client, tables, logger: configuration.logger)
    }

    /// Writes `event` to the outbox on `connection`, which must be inside the caller's business
    /// transaction (`client.withTransaction { connection in … }`): the row commits with it or not at all.
    public func publish<Event: EventContract>(
        _ event: Event, in connection: PostgresConnection, id: UUID = TimeOrderedUUID.next(), time: Timestamp = .now
    ) async throws {
        var record = try EventPublisher.record(for: event, source: source, schemaIds: schemaIds, id: id, time: time)
        if tracing.tracer != nil, let context = InstrumentationContext.current { tracing.inject(context, into: &record.headers) }
        let bucket = Self.bucket(topic: record.topic, key: record.key)
        // The shared bucket lock, taken before the row's id is drawn and held to commit: see "No gaps".
        try await connection.boundedQuery("""
            INSERT INTO \(unescaped: tables.outbox) (bucket, topic, key, value, headers, created_at)
            SELECT \(bucket), \(record.topic), \(record.key.map { ByteBuffer(bytes: $0) }), \(ByteBuffer(bytes: record.value)),
                   \(ByteBuffer(bytes: RecordHeaderCoding.encode(record.headers))), \(SystemClock().milliseconds())
            FROM (SELECT pg_advisory_xact_lock_shared(\(tables.lockSpace), \(bucket))) AS bucket_lock
            """, logger: configuration.logger)
    }

    /// How errors name this store: `PostgresOutbox "schema"."prefix_outbox"`.
    private var storeName: String { "PostgresOutbox \(tables.outbox)" }

    /// The bucket of a key: FNV-1a of topic, a zero byte and key, modulo 64. Records without a key
    /// share their topic's bucket.
    static func bucket(topic: String, key: [UInt8]?) -> Int32 {
        let topicHash = FNV1a.hash(Array(topic.utf8) + [0])
        return Int32(FNV1a.hash(key ?? [], into: topicHash) % PostgresSchema.outboxBuckets)
    }

    /// Claims up to `limit` unsent rows in its buckets, in per-key order, hands them to `send`, and
    /// marks them sent when `send` returns; returns how many it sent.
    public func relayNextRows(limit: Int, _ send: ([OutgoingRecord]) async throws -> Void) async throws -> Int {
        let logger = configuration.logger
        return try await client.transaction(store: storeName, operation: "relaying rows", logger: logger) { connection -> Int in
            let timeout = max(1, configuration.claimTimeout.milliseconds)
            try await connection.boundedQuery("SET LOCAL idle_in_transaction_session_timeout = \(unescaped: String(timeout))", logger: logger)
            let buckets = try await claimBuckets(on: connection)
            guard !buckets.isEmpty else { return 0 }
            var ids: [Int64] = []
            var records: [OutgoingRecord] = []
            let rows = try await connection.boundedQuery("""
                SELECT id, topic, key, value, headers FROM \(unescaped: tables.outbox)
                WHERE sent_at IS NULL AND bucket = ANY(\(buckets)::integer[]) ORDER BY bucket, id LIMIT \(limit)
                """, logger: logger)
            for try await (id, topic, key, value, headers) in rows.decode((Int64, String, ByteBuffer?, ByteBuffer, ByteBuffer).self) {
                guard let headers = RecordHeaderCoding.decode(Array(headers.readableBytesView)) else {
                    throw OutboxRowDamaged(store: tables.outbox, rowId: id)
                }
                ids.append(id)
                records.append(OutgoingRecord(
                    topic: topic, key: key.map { Array($0.readableBytesView) }, value: Array(value.readableBytesView), headers: headers))
            }
            guard !records.isEmpty else { return 0 }
            try await send(records)
            try await connection.boundedQuery(
                "UPDATE \(unescaped: tables.outbox) SET sent_at = \(SystemClock().milliseconds()) WHERE id = ANY(\(ids)::bigint[])",
                logger: logger)
            return records.count
        }
    }

    /// Locks up to `bucketsPerPass` of the buckets that have rows waiting, in random order (so
    /// relays spread over them), skipping those another relay or an open business transaction
    /// holds. The waiting buckets are found with a loose index scan of the pending index: one
    /// probe per bucket, however many rows wait.
    private func claimBuckets(on connection: PostgresConnection) async throws -> [Int32] {
        let logger = configuration.logger
        var waiting: [Int32] = []
        for try await bucket in try await connection.boundedQuery("""
            WITH RECURSIVE waiting(bucket) AS (
                (SELECT bucket FROM \(unescaped: tables.outbox) WHERE sent_at IS NULL ORDER BY bucket LIMIT 1)
                UNION ALL
                SELECT (SELECT o.bucket FROM \(unescaped: tables.outbox) o WHERE o.sent_at IS NULL AND o.bucket > w.bucket
                        ORDER BY o.bucket LIMIT 1)
                FROM waiting w WHERE w.bucket IS NOT NULL)
            SELECT bucket FROM waiting WHERE bucket IS NOT NULL
            """, logger: logger).decode(Int32.self) {
            waiting.append(bucket)
        }
        guard !waiting.isEmpty else { return [] }
        waiting.shuffle()
        // No ORDER BY: the function scan yields the array's order and LIMIT stops the locking early.
        var claimed: [Int32] = []
        for try await bucket in try await connection.boundedQuery("""
            SELECT b FROM unnest(\(waiting)::integer[]) AS b WHERE pg_try_advisory_xact_lock(\(tables.lockSpace), b)
            LIMIT \(max(1, configuration.bucketsPerPass))
            """, logger: logger).decode(Int32.self) {
            claimed.append(bucket)
        }
        return claimed
    }

    /// Deletes rows sent before `cutoff` (milliseconds since 1970); returns how many.
    @discardableResult
    public func removeSent(before cutoff: Int64) async throws -> Int {
        try await client.withConnection(store: storeName, operation: "removing sent rows") { connection in
            try await connection.singleInt("""
                WITH removed AS (DELETE FROM \(unescaped: tables.outbox) WHERE sent_at IS NOT NULL AND sent_at < \(cutoff) RETURNING 1)
                SELECT count(*) FROM removed
                """, logger: configuration.logger)
        }
    }

    /// How many rows are not sent yet.
    public func pendingCount() async throws -> Int {
        try await client.withConnection(store: storeName, operation: "counting unsent rows") { connection in
            try await connection.singleInt("SELECT count(*) FROM \(unescaped: tables.outbox) WHERE sent_at IS NULL", logger: configuration.logger)
        }
    }

    /// LISTENs on the outbox's channel on a connection of its own, calling `rowsWritten` per
    /// notification, and once per (re)connection (rows may have come while no one listened).
    /// Reconnects after a lost connection (a restarted server, say), backing off to 5 s.
    public func watchForWrites(_ rowsWritten: @escaping @Sendable () -> Void) async {
        var pause = Duration.milliseconds(50)
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: tables.outboxChannel) { notifications in
                        rowsWritten()
                        pause = .milliseconds(50)
                        try await Self.readNotifications(notifications, on: connection, rowsWritten)
                    }
                }
            } catch {
                if Task.isCancelled { return }
                configuration.logger.warning("cannot listen for outbox rows; polling meanwhile", metadata: [
                    "channel": "\(tables.outboxChannel)", "retryIn": "\(pause)",
                    "error": "\(PostgresStoreError.wrapping(error, store: storeName, operation: "listening for written rows"))",
                ])
            }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .seconds(5))
        }
    }

    /// Calls `rowsWritten` per notification until the connection closes or the calling task is
    /// cancelled (which closes the connection; the pool replaces it). The notifications are read
    /// in a task of their own because their sequence neither ends on cancellation nor, always,
    /// when the server ends the connection (seen with `pg_terminate_backend` in the simulation:
    /// a relay then never stopped); the connection's close future is what ends the wait.
    private static func readNotifications(
        _ notifications: PostgresNotificationSequence, on connection: PostgresConnection, _ rowsWritten: @escaping @Sendable () -> Void
    ) async throws {
        let reader = Task {
            for try await _ in notifications { rowsWritten() }
        }
        defer { reader.cancel() }
        try await withTaskCancellationHandler {
            try await connection.closeFuture.get()
        } onCancel: {
            connection.close().whenComplete { _ in }
        }
    }
}
