import EventRuntime
import EventRuntimeSQLite
import EventTestSupport
import Foundation
import GeneratedContracts
import InMemoryTracing
import Synchronization
import Testing
import Tracing

/// The trace crosses the database: the outbox stores the business transaction's trace context
/// with the row, the relay publishes under it, and the consumer continues it.
@Suite("Outbox tracing")
struct OutboxTracingTests {
    @Test("business operation → outbox row → relay's producer span → processor → handler: one trace")
    func traceCrossesTheOutbox() async throws {
        let tracer = InMemoryTracer()
        let tracing = EventTracing(tracer: tracer)
        let database = try temporaryDatabase()
        let outbox = try await SQLiteOutbox(database: database, source: "/orders", tracing: tracing)
        let broker = try InProcessBroker(.testing())
        try broker.createTopics(for: EventCatalog.contracts)

        let approve = tracer.startSpan("approve order", context: .topLevel)
        try await InstrumentationContext.withValue(approve.context) {
            try await database.transaction { try outbox.publish(OrderApproved(orderId: "o1", approvedBy: "rule-7"), in: $0) }
        }
        approve.end()
        // Published without a current trace: no context is stored, and the relay's span starts a new trace.
        try await database.transaction { try outbox.publish(OrderApproved(orderId: "o2", approvedBy: "rule-8"), in: $0) }

        let relay = OutboxRelay(outbox: outbox, transport: broker)
        let relayTask = Task { try await relay.run() }
        let seen = Mutex<[String: InMemorySpanContext]>([:])
        var configuration = EventProcessor.Configuration(groupId: "shipping", pollTimeout: .milliseconds(10), jitterSeed: 1)
        configuration.tracing = tracing
        let processor = EventProcessor(transport: broker, configuration: configuration, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, _ in
                let current = InstrumentationContext.current?.inMemorySpanContext
                seen.withLock { $0[event.orderId] = current }
            },
        ], inbox: InMemoryInbox())
        let processorTask = Task { try await processor.run() }
        #expect(await eventually { processor.statistics.handled == 2 })
        processor.stop()
        relay.stop()
        try await processorTask.value
        try await relayTask.value

        let spans = tracer.finishedSpans
        let root = try #require(spans.first { $0.operationName == "approve order" })
        let sends = spans.filter { $0.operationName == "send orders" && $0.kind == .producer }
        let send = try #require(sends.first { $0.parentSpanID == root.spanID }, "the relay's span is a child of the business span")
        #expect(send.traceID == root.traceID)
        let handler = try #require(seen.withLock { $0["o1"] })
        let process = try #require(spans.first { $0.spanID == handler.spanID })
        #expect(process.operationName == "process orders" && process.parentSpanID == send.spanID && process.traceID == root.traceID)
        let untraced = try #require(seen.withLock { $0["o2"] })
        #expect(untraced.traceID != root.traceID)
        #expect(sends.count == 2)
    }
}
