import EventProcessing
import EventRuntimeSQLite
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import InMemoryTracing
import Synchronization
import Testing
import Tracing

/// One unbroken trace from the business operation to the handler and the dead-letter topic, on
/// every transport: the publisher's producer span carries the trace in the record's headers, the
/// processor's consumer span continues it and is the handler's current context, and a dead letter
/// keeps the original record's trace context. Through the SQLite outbox, the trace crosses the
/// database: the row keeps the business transaction's context and the relay continues it.
@Suite("Tracing across the transport", .serialized)
struct TracingConformanceTests {
    struct Rejected: NonRetryableError {}

    @Test("publish → broker → processor → handler → DLQ is one trace", arguments: TransportFixture.allCases)
    func traceFollowsTheEvent(fixture: TransportFixture) async throws {
        let under = try await fixture.make(topics: ["orders": 3, "orders.dlq": 3])
        let tracer = InMemoryTracer()
        let tracing = EventTracing(tracer: tracer)
        let producer = try await under.transport.makeProducer(ProducerConfig())
        let publisher = EventPublisher(sink: producer, source: "/tests", tracing: tracing)
        let checkout = tracer.startSpan("checkout", context: .topLevel)
        try await InstrumentationContext.withValue(checkout.context) {
            try await publisher.publish(OrderApproved(orderId: "good", approvedBy: "x"))
            try await publisher.publish(OrderApproved(orderId: "bad", approvedBy: "x"))
        }
        checkout.end()
        await producer.close()

        let seenByHandler = Mutex<[String: InMemorySpanContext]>([:])
        var configuration = EventProcessor.Configuration(
            groupId: "traced", pollTimeout: .milliseconds(10), consumer: under.consumer("traced"), sleep: { _ in }, jitterSeed: 1)
        configuration.tracing = tracing
        let processor = EventProcessor(transport: under.transport, configuration: configuration, handlers: [
            EventHandlerRegistration(OrderApproved.self) { event, _ in
                let current = InstrumentationContext.current?.inMemorySpanContext
                seenByHandler.withLock { $0[event.orderId] = current }
                if event.orderId == "bad" { throw Rejected() }
            },
        ], inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        #expect(await eventually { processor.statistics.handled == 1 && processor.statistics.deadLettered == 1 })
        processor.stop()
        try await task.value

        let spans = tracer.finishedSpans
        let root = try #require(spans.first { $0.operationName == "checkout" })
        let sends = spans.filter { $0.operationName == "send orders" }
        let processes = spans.filter { $0.operationName == "process orders" }
        #expect(sends.count == 2 && processes.count == 2)
        for send in sends {
            #expect(send.kind == .producer && send.traceID == root.traceID && send.parentSpanID == root.spanID)
            let process = try #require(processes.first { $0.parentSpanID == send.spanID }, "no consumer span under \(send.spanID)")
            #expect(process.kind == .consumer && process.traceID == root.traceID)
            #expect(process.attributes[EventTracing.Attribute.system]?.toSpanAttribute() == .string("kafka"))
            #expect(process.attributes[EventTracing.Attribute.consumerGroup]?.toSpanAttribute() == .string("traced"))
            #expect(process.attributes[EventTracing.Attribute.destination]?.toSpanAttribute() == .string("orders"))
            #expect(process.attributes[EventTracing.Attribute.messageID] != nil && process.attributes[EventTracing.Attribute.offset] != nil)
        }
        let handled = seenByHandler.withLock { $0 }
        for orderId in ["good", "bad"] {
            let context = try #require(handled[orderId])
            #expect(context.traceID == root.traceID)
            #expect(processes.contains { $0.spanID == context.spanID }, "the handler runs inside its consumer span")
        }
        let failed = try #require(processes.first { $0.spanID == handled["bad"]?.spanID })
        #expect(failed.events.map(\.name) == ["dead-lettered"])
        #expect(failed.status?.code == .error)
        let succeeded = try #require(processes.first { $0.spanID == handled["good"]?.spanID })
        #expect(succeeded.events.isEmpty && succeeded.status == nil)

        // The dead letter carries the original record's trace context: its producer span.
        let dlq = try await under.transport.makeConsumer(under.consumer("dlq-reader"))
        try await dlq.subscribe(["orders.dlq"])
        let letter = try #require(try await drain(dlq, count: 1).first)
        try await dlq.close()
        let letterContext = try #require(tracing.context(in: letter.headers)?.inMemorySpanContext)
        #expect(letterContext.traceID == root.traceID)
        #expect(letterContext.spanID == failed.parentSpanID)
    }

    @Test("business operation → outbox row → relay's producer span → processor → handler: one trace",
          arguments: TransportFixture.allCases)
    func traceCrossesTheOutbox(fixture: TransportFixture) async throws {
        let under = try await fixture.make(topics: ["orders": 3, "orders.dlq": 3])
        let tracer = InMemoryTracer()
        let tracing = EventTracing(tracer: tracer)
        let database = try SQLiteDatabase(path: temporaryDirectory() + "/outbox.sqlite")
        let outbox = try await SQLiteOutbox(database: database, source: "/orders", tracing: tracing)

        let approve = tracer.startSpan("approve order", context: .topLevel)
        try await InstrumentationContext.withValue(approve.context) {
            try await database.transaction { try outbox.publish(OrderApproved(orderId: "o1", approvedBy: "rule-7"), in: $0) }
        }
        approve.end()
        // Published without a current trace: no context is stored, and the relay's span starts a new trace.
        try await database.transaction { try outbox.publish(OrderApproved(orderId: "o2", approvedBy: "rule-8"), in: $0) }

        let relay = OutboxRelay(outbox: outbox, transport: under.transport)
        let relayTask = Task { try await relay.run() }
        let seen = Mutex<[String: InMemorySpanContext]>([:])
        var configuration = EventProcessor.Configuration(
            groupId: "shipping", pollTimeout: .milliseconds(10), consumer: under.consumer("shipping"), jitterSeed: 1)
        configuration.tracing = tracing
        let processor = EventProcessor(transport: under.transport, configuration: configuration, handlers: [
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
