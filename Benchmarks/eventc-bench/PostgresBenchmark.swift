import EventRuntime
import EventRuntimePostgres
import EventRuntimeSQLite
import Foundation
import GeneratedContracts
import Logging
import Synchronization

/// The PostgreSQL stores beside SQLite's, in the same run, on the workload of
/// `processor.sqlite_inbox_*` (OrderApproved over 10,000 keys, each handler writing a row), plus
/// the outbox relays: throughput with one and three relays, and the latency from a business
/// commit to the record on the broker. Runs when EVENTC_POSTGRES_URL is set (`.ci/postgres start`).
enum PostgresBenchmark {
    static func run() async {
        guard let url = ProcessInfo.processInfo.environment["EVENTC_POSTGRES_URL"] else {
            print("postgres: skipped (EVENTC_POSTGRES_URL is not set; eval \"$(.ci/postgres start)\" starts a throwaway server)")
            return
        }
        do {
            var logger = Logger(label: "eventc-bench.postgres")
            logger.logLevel = .error
            var configuration = try PostgresClient.Configuration.fromURL(url)
            configuration.options.maximumConnections = 20
            let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                try await measure(client, logger: logger)
            }
        } catch {
            FileOutput.standardError("postgres benchmark failed: \(String(reflecting: error))\n")
        }
    }

    private static func measure(_ client: PostgresClient, logger: Logger) async throws {
        let events = 100_000
        let broker = try await ProcessorBenchmark.brokerWithApprovals(events, id: TimeOrderedUUID.next)
        let batched = try await inboxRun(client, broker, logger: logger, events: events, batch: true)
        let sqliteBatched = try await ProcessorBenchmark.sqliteRun(broker, logger: logger, events: events, batch: true)
        let perEvent = try await inboxRun(client, broker, logger: logger, events: events / 10, batch: false)
        let sqlitePerEvent = try await ProcessorBenchmark.sqliteRun(broker, logger: logger, events: events / 10, batch: false)
        Measure.figure("postgres.inbox_batched_events_per_s", batched, "events/s")
        Measure.figure("postgres.sqlite_inbox_batched_events_per_s", sqliteBatched, "events/s")
        Measure.figure("postgres.inbox_per_event_transaction_events_per_s", perEvent, "events/s")
        Measure.figure("postgres.sqlite_inbox_per_event_transaction_events_per_s", sqlitePerEvent, "events/s")

        let rows = 50_000
        Measure.figure("postgres.outbox_relay_rows_per_s", try await relayRun(client, logger: logger, rows: rows, relays: 1), "rows/s")
        Measure.figure("postgres.outbox_relay_rows_per_s_3_relays", try await relayRun(client, logger: logger, rows: rows, relays: 3), "rows/s")
        Measure.figure("postgres.sqlite_outbox_relay_rows_per_s", try await sqliteRelayRun(logger: logger, rows: rows), "rows/s")
        let latencies = try await relayLatency(client, logger: logger, rows: 1_000)
        Measure.figure("postgres.relay_latency_p50_ms", latencies.p50, "ms")
        Measure.figure("postgres.relay_latency_p99_ms", latencies.p99, "ms")
    }

    private static func freshTables(_ name: String) throws -> PostgresTables {
        try PostgresTables(schema: "bench_\(name)_" + UUID().uuidString.lowercased().prefix(8), prefix: "eventc_")
    }

    private static func dropSchema(_ client: PostgresClient, _ tables: PostgresTables, logger: Logger) async throws {
        try await client.query(PostgresQuery(unsafeSQL: "DROP SCHEMA \"\(tables.schema)\" CASCADE"), logger: logger)
    }

    /// The first `events` records handled with the PostgreSQL inbox; each handler writes a row (a
    /// batch handler in one multi-row INSERT, as one writes for PostgreSQL, where a statement is a
    /// round trip; SQLite's runs a cached statement per row, which costs it no round trip).
    private static func inboxRun(_ client: PostgresClient, _ broker: InProcessBroker, logger: Logger, events: Int, batch: Bool) async throws -> Double {
        let tables = try freshTables("inbox")
        let inbox = try await PostgresInbox(client: client, tables: tables, logger: logger)
        let approvals = "\"\(tables.schema)\".approvals"
        try await client.query(PostgresQuery(unsafeSQL: "CREATE TABLE \(approvals) (order_id text NOT NULL)"), logger: logger)
        let handler = batch
            ? EventHandlerRegistration(OrderApproved.self, batch: { batch in
                try await PostgresInbox.requiredTransaction().query(
                    "INSERT INTO \(unescaped: approvals) (order_id) SELECT unnest(\(batch.map(\.event.orderId))::text[])", logger: logger)
            })
            : EventHandlerRegistration(OrderApproved.self) { approval, _ in
                try await PostgresInbox.requiredTransaction().query("INSERT INTO \(unescaped: approvals) (order_id) VALUES (\(approval.orderId))", logger: logger)
            }
        let processor = EventProcessor(
            transport: broker,
            configuration: .init(groupId: "bench-postgres-\(batch)-\(UUID())", maxPollRecords: 2_000, pollTimeout: .milliseconds(50), logger: logger),
            handlers: [handler], inbox: inbox)
        let rate = try await ProcessorBenchmark.handledPerSecond(processor, events: events)
        try await dropSchema(client, tables, logger: logger)
        return rate
    }

    /// Writes `rows` events to the outbox (500 per business transaction) over 10,000 keys.
    private static func fill(_ client: PostgresClient, _ outbox: PostgresOutbox, rows: Int, logger: Logger) async throws {
        for start in stride(from: 0, to: rows, by: 500) {
            try await client.withTransaction(logger: logger) { connection in
                for index in start..<min(start + 500, rows) {
                    try await outbox.publish(OrderApproved(orderId: "order-\(index % 10_000)", approvedBy: "bench"), in: connection)
                }
            }
        }
    }

    /// Rows per second `relays` relays publish from a full outbox to the in-process broker.
    private static func relayRun(_ client: PostgresClient, logger: Logger, rows: Int, relays: Int) async throws -> Double {
        let tables = try freshTables("outbox")
        let outbox = try await PostgresOutbox(client: client, source: "/bench", tables: tables, tracing: .disabled, configuration: .init(logger: logger))
        try await fill(client, outbox, rows: rows, logger: logger)
        let broker = try InProcessBroker(BrokerBenchmark.options)
        try broker.createTopics(for: EventCatalog.contracts)
        let running = (0..<relays).map { _ in
            OutboxRelay(outbox: outbox, transport: broker, configuration: .init(batchSize: 500, idleInterval: .milliseconds(5), logger: logger))
        }
        let started = ContinuousClock.now
        let tasks = running.map { relay in Task { try await relay.run() } }
        while running.reduce(0, { $0 + $1.statistics.published }) < rows { try await Task.sleep(for: .milliseconds(2)) }
        let elapsed = ContinuousClock.now - started
        for relay in running { relay.stop() }
        for task in tasks { try await task.value }
        try await dropSchema(client, tables, logger: logger)
        return Double(rows) / Measure.seconds(elapsed)
    }

    /// The same for SQLite's outbox and its one relay.
    private static func sqliteRelayRun(logger: Logger, rows: Int) async throws -> Double {
        let path = NSTemporaryDirectory() + "eventc-bench-outbox-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try SQLiteDatabase(path: path)
        let outbox = try await SQLiteOutbox(database: database, source: "/bench", tracing: .disabled)
        for start in stride(from: 0, to: rows, by: 500) {
            try await database.transaction { transaction in
                for index in start..<min(start + 500, rows) {
                    try outbox.publish(OrderApproved(orderId: "order-\(index % 10_000)", approvedBy: "bench"), in: transaction)
                }
            }
        }
        let broker = try InProcessBroker(BrokerBenchmark.options)
        try broker.createTopics(for: EventCatalog.contracts)
        let relay = OutboxRelay(outbox: outbox, transport: broker, configuration: .init(batchSize: 500, idleInterval: .milliseconds(5), logger: logger))
        let started = ContinuousClock.now
        let task = Task { try await relay.run() }
        while relay.statistics.published < rows { try await Task.sleep(for: .milliseconds(2)) }
        let elapsed = ContinuousClock.now - started
        relay.stop()
        try await task.value
        return Double(rows) / Measure.seconds(elapsed)
    }

    /// Milliseconds from a business transaction's commit to its record reaching a consumer, one
    /// event every 2 ms, with the relay's poll at 1 s: NOTIFY is what wakes it.
    private static func relayLatency(_ client: PostgresClient, logger: Logger, rows: Int) async throws -> (p50: Double, p99: Double) {
        let tables = try freshTables("latency")
        let outbox = try await PostgresOutbox(client: client, source: "/bench", tables: tables, tracing: .disabled, configuration: .init(logger: logger))
        let broker = try InProcessBroker(BrokerBenchmark.options)
        try broker.createTopics(for: EventCatalog.contracts)
        let relay = OutboxRelay(outbox: outbox, transport: broker, configuration: .init(idleInterval: .seconds(1), logger: logger))
        let relayTask = Task { try await relay.run() }
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "latency", offsetReset: .earliest))
        try await consumer.subscribe([OrderApproved.topic])
        try await Task.sleep(for: .milliseconds(300))  // the relay is idle and listening
        let committed = Mutex([String: ContinuousClock.Instant]())
        let arrivals = Mutex([String: ContinuousClock.Instant]())
        let reader = Task {
            while arrivals.withLock({ $0.count }) < rows {
                let records = try await consumer.poll(max: 500, timeout: .milliseconds(1))
                let now = ContinuousClock.now
                arrivals.withLock { for record in records { $0[record.headers.value(of: CloudEventHeader.id) ?? ""] = now } }
            }
        }
        for index in 0..<rows {
            let id = TimeOrderedUUID.next()
            try await client.withTransaction(logger: logger) { connection in
                try await outbox.publish(OrderApproved(orderId: "order-\(index)", approvedBy: "bench"), in: connection, id: id)
            }
            committed.withLock { $0[id.uuidString.lowercased()] = .now }
            try await Task.sleep(for: .milliseconds(2))
        }
        try await reader.value
        relay.stop()
        try await relayTask.value
        try await dropSchema(client, tables, logger: logger)
        let latencies = committed.withLock { $0 }.compactMap { id, at in arrivals.withLock { $0[id] }.map { Measure.seconds($0 - at) * 1_000 } }.sorted()
        guard !latencies.isEmpty else { return (.nan, .nan) }
        return (latencies[latencies.count / 2], latencies[min(latencies.count - 1, latencies.count * 99 / 100)])
    }
}
