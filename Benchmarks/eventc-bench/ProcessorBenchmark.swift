import EventRuntime
import EventRuntimeSQLite
import Foundation
import GeneratedContracts
import Logging
import Synchronization

/// The event processor on the in-process broker: decode + dispatch + inbox + handler + commit per
/// event, against the bare loop that only decodes the same records and calls the same handler.
enum ProcessorBenchmark {
    static let events = 500_000

    static func run() async {
        do {
            try await measure()
        } catch {
            FileOutput.standardError("processor benchmark failed: \(error)\n")
        }
    }

    /// A broker holding `count` OrderApproved records over 10,000 orders, each with the id `id()` gives.
    static func brokerWithApprovals(_ count: Int, id: () -> UUID) async throws -> InProcessBroker {
        let broker = try InProcessBroker(BrokerBenchmark.options)
        try broker.createTopics(for: EventCatalog.contracts)
        let producer = try await broker.makeProducer(ProducerConfig(acks: .leader))
        let publisher = EventPublisher(sink: producer, source: "/bench")
        for start in stride(from: 0, to: count, by: 1_000) {
            _ = try await producer.send(try (start..<min(start + 1_000, count)).map { index in
                try publisher.record(for: OrderApproved(orderId: "order-\(index % 10_000)", approvedBy: "bench"), id: id())
            })
        }
        return broker
    }

    private static func measure() async throws {
        let broker = try await brokerWithApprovals(events, id: TimeOrderedUUID.next)

        // Baseline: read the records back and decode + handle them in a plain loop.
        let reader = try await broker.makeConsumer(ConsumerConfig(groupId: "bench-reader", offsetReset: .earliest))
        try await reader.subscribe([OrderApproved.topic])
        var records: [ConsumerRecord] = []
        while records.count < events { records += try await reader.poll(max: 10_000, timeout: .seconds(1)) }
        let handledByLoop = Mutex(0)
        let loop = try ContinuousClock().measure {
            for record in records {
                let version = record.headers.value(of: CloudEventHeader.contractVersion).flatMap(Int.init) ?? 1
                let event = try OrderApproved.decode(json: record.value, version: version)
                if !event.orderId.isEmpty { handledByLoop.withLock { $0 += 1 } }
            }
        }

        var logger = Logger(label: "eventc-bench.processor")
        logger.logLevel = .warning
        let handled = Mutex(0)
        let processor = EventProcessor(
            transport: broker,
            configuration: .init(groupId: "bench", maxPollRecords: 2_000, pollTimeout: .milliseconds(50), logger: logger),
            handlers: [EventHandlerRegistration(OrderApproved.self) { event, _ in
                if !event.orderId.isEmpty { handled.withLock { $0 += 1 } }
            }],
            inbox: InMemoryInbox())
        let cpuBefore = Measure.processorSeconds()
        let started = ContinuousClock.now
        let task = Task { try await processor.run() }
        while processor.statistics.handled < events { try await Task.sleep(for: .milliseconds(1)) }
        let elapsed = ContinuousClock.now - started
        let cpu = Measure.processorSeconds() - cpuBefore
        processor.stop()
        try await task.value

        let rate = Double(events) / Measure.seconds(elapsed)
        let loopRate = Double(events) / Measure.seconds(loop)
        Measure.figure("processor.events_per_s", rate, "events/s")
        Measure.figure("processor.decode_loop_events_per_s", loopRate, "events/s")
        Measure.figure("processor.vs_decode_loop", rate / loopRate, "x")
        // Where the time goes on a shared two-core machine: CPU per event, and how many cores were busy.
        Measure.figure("processor.cpu_per_event_ns", cpu / Double(events) * 1e9, "ns")
        Measure.figure("processor.cores_busy", cpu / Measure.seconds(elapsed), "cores")

        // The SQLite inbox: batched (one transaction per batch of a partition) and per event.
        let sqliteEvents = 100_000
        let batched = try await sqliteRun(broker, logger: logger, events: sqliteEvents, batch: true)
        let perEvent = try await sqliteRun(broker, logger: logger, events: sqliteEvents / 5, batch: false)
        // The same with random (version 4) ids, as events from a publisher outside this toolchain may carry.
        let randomIds = try await brokerWithApprovals(sqliteEvents, id: UUID.init)
        let batchedRandomIds = try await sqliteRun(randomIds, logger: logger, events: sqliteEvents, batch: true)
        Measure.figure("processor.sqlite_inbox_events_per_s", batched, "events/s")
        Measure.figure("processor.sqlite_inbox_per_event_transaction_events_per_s", perEvent, "events/s")
        Measure.figure("processor.sqlite_inbox_random_ids_events_per_s", batchedRandomIds, "events/s")
    }

    /// The first `events` OrderApproved records, handled with the SQLite inbox; each handler writes a row.
    static func sqliteRun(_ broker: InProcessBroker, logger: Logger, events: Int, batch: Bool) async throws -> Double {
        let path = NSTemporaryDirectory() + "eventc-bench-inbox-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try SQLiteDatabase(path: path)
        try await database.transaction { try $0.execute("CREATE TABLE approvals (order_id TEXT NOT NULL)") }
        let inbox = try await SQLiteInbox(database: database)
        let handler = batch
            ? EventHandlerRegistration(OrderApproved.self, batch: { approvals in
                for approval in approvals {
                    try SQLiteInbox.requiredTransaction().execute("INSERT INTO approvals (order_id) VALUES (?)", [.text(approval.event.orderId)])
                }
            })
            : EventHandlerRegistration(OrderApproved.self) { approval, _ in
                try SQLiteInbox.requiredTransaction().execute("INSERT INTO approvals (order_id) VALUES (?)", [.text(approval.orderId)])
            }
        let processor = EventProcessor(
            transport: broker,
            configuration: .init(groupId: "bench-sqlite-\(batch)", maxPollRecords: 2_000, pollTimeout: .milliseconds(50), logger: logger),
            handlers: [handler], inbox: inbox)
        return try await handledPerSecond(processor, events: events)
    }

    /// Runs `processor` until it has handled `events`, then stops it; its rate over that time.
    static func handledPerSecond(_ processor: EventProcessor, events: Int) async throws -> Double {
        let started = ContinuousClock.now
        let task = Task { try await processor.run() }
        while processor.statistics.handled < events { try await Task.sleep(for: .milliseconds(1)) }
        let elapsed = ContinuousClock.now - started
        processor.stop()
        try await task.value
        return Double(processor.statistics.handled) / Measure.seconds(elapsed)
    }
}
