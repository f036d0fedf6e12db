import EventBroker
@testable import EventProcessing
import EventTestSupport
import Foundation
import GeneratedContracts
import Metrics
import MetricsTestKit
import Synchronization
import Testing

/// A hand-written contract (the runtime's API is public for that) whose dead-letter topic takes
/// only records that do not decode: a handler that keeps failing is, by this contract, not
/// dead-lettered.
struct NarrowDeadLetterEvent: EventContract {
    static let eventType = "NarrowDeadLetterEvent"
    static let namespace = "tests"
    static let topic = "narrow"
    static let partitions = 1
    static let keyField: String? = "id"
    static let currentVersion = 1
    static let compatibility = CompatibilityLevel.backward
    static let delivery = DeliveryPolicy(
        acks: .all, idempotency: .inbox, retryAttempts: 2, backoff: .fixed, initialBackoffMilliseconds: 1, backoffMultiplier: 1,
        maxBackoffMilliseconds: 1, deadLetterTopic: "narrow.dlq", deadLetterOn: [.deserialization])
    private static let members = JSONNames("id")

    var id: String
    var partitionKey: String? { id }

    func encode(to writer: inout JSONWriter) throws(EventEncodingError) {
        writer.raw("{\"id\":")
        writer.string(id)
        writer.raw("}")
    }

    static func decode(from reader: inout JSONReader, version: Int) throws(EventDecodingError) -> Self {
        var id: String?
        try reader.readObject(members, path: "") { reader, _ throws(EventDecodingError) in id = try reader.readString(path: "id") }
        return Self(id: try reader.required(id, "id", path: ""))
    }
}

@Suite("Processor failure path")
struct FailurePathTests {
    private func broker(metrics: any MetricsFactory = MetricsSystem.factory) async throws -> InProcessBroker {
        let broker = try InProcessBroker(.testing(clock: SystemClock(), metrics: metrics))
        try broker.createTopics(for: EventCatalog.contracts + [ContractDescriptor(NarrowDeadLetterEvent.self)])
        return broker
    }

    private func publish(_ broker: InProcessBroker, _ events: [any EventContract], id: UUID? = nil) async throws {
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        for event in events { try await publisher.publish(event, id: id ?? TimeOrderedUUID.next()) }
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
        #expect(condition())
    }

    @Test("cancelled while a handler fails: the record is neither dead-lettered nor committed, and the next processor handles it")
    func cancellationLeavesTheRecordToTheNextOwner() async throws {
        let broker = try await broker()
        let started = Mutex(false)
        let cancelled = EventProcessor(
            transport: broker, configuration: .init(groupId: "orders", pollTimeout: .milliseconds(10)),
            handlers: [EventHandlerRegistration(OrderCreated.self) { _, _ in
                started.withLock { $0 = true }
                // The work in hand notices the cancellation and fails, as a cancelled HTTP call would.
                while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
                throw TestFailure()
            }],
            inbox: InMemoryInbox())
        let task = Task { try await cancelled.run() }
        try await publish(broker, [OrderCreated(orderId: "o-1", customerId: "c", items: [], total: .init(amount: "1"))])
        try await waitUntil { started.withLock { $0 } }
        task.cancel()
        let error = await #expect(throws: EventProcessorError.self) { try await task.value }
        #expect(error?.message.contains("cancelled before the handler succeeded; stopping without committing") == true)
        #expect(cancelled.statistics.deadLettered == 0)
        let dead = try (0..<OrderCreated.partitions).map { try broker.offsets(of: TopicPartition(OrderCreated.delivery.deadLetterTopic, $0)).end }
        #expect(dead.allSatisfy { $0 == 0 }, "nothing went to the DLQ")

        let handled = Mutex<[String]>([])
        let next = EventProcessor(
            transport: broker, configuration: .init(groupId: "orders", pollTimeout: .milliseconds(10)),
            handlers: [EventHandlerRegistration(OrderCreated.self) { event, _ in handled.withLock { $0.append(event.orderId) } }],
            inbox: InMemoryInbox())
        let nextTask = Task { try await next.run() }
        try await waitUntil { handled.withLock { $0 } == ["o-1"] }
        next.stop()
        try await nextTask.value
    }

    @Test("a failure the contract does not dead-letter is skipped by default: logged, counted, committed, not silent")
    func notDeadLetteredIsSkippedAndCounted() async throws {
        let metrics = TestMetrics()
        let broker = try await broker(metrics: metrics)
        let attempts = Mutex(0)
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "narrow", pollTimeout: .milliseconds(10), sleep: { _ in }, metrics: metrics),
            handlers: [EventHandlerRegistration(NarrowDeadLetterEvent.self) { _, _ in
                attempts.withLock { $0 += 1 }
                throw TestFailure()
            }],
            inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        try await publish(broker, [NarrowDeadLetterEvent(id: "a")])
        try await waitUntil { processor.statistics.skipped == 1 }
        processor.stop()
        try await task.value
        #expect(attempts.withLock { $0 } == 2, "both attempts ran before the skip")
        #expect(processor.statistics.deadLettered == 0 && processor.statistics.retried == 1)
        #expect(try broker.offsets(of: TopicPartition("narrow.dlq", 0)).end == 0, "nothing went to the DLQ")
        #expect(broker.groupLag(group: "narrow", topics: ["narrow"]).values.reduce(0, +) == 0, "the skipped record is committed")
        let dimensions = [("group", "narrow"), ("event", "NarrowDeadLetterEvent")]
        #expect(try metrics.expectCounter("eventcontracts_processor_skipped_total", dimensions).totalValue == 1)
    }

    @Test("with notDeadLettered: .stop, the processor stops with an error and commits nothing from that record on")
    func notDeadLetteredCanStop() async throws {
        let broker = try await broker()
        var configuration = EventProcessor.Configuration(groupId: "narrow", pollTimeout: .milliseconds(10), sleep: { _ in })
        configuration.notDeadLettered = .stop
        let processor = EventProcessor(
            transport: broker, configuration: configuration,
            handlers: [EventHandlerRegistration(NarrowDeadLetterEvent.self) { event, _ in
                if event.id == "bad" { throw TestFailure() }
            }],
            inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        try await publish(broker, [NarrowDeadLetterEvent(id: "good"), NarrowDeadLetterEvent(id: "bad"), NarrowDeadLetterEvent(id: "later")])
        await #expect(throws: EventProcessorError.self) { try await task.value }
        #expect(processor.statistics.skipped == 0 && processor.statistics.handled == 1)
        #expect(broker.groupLag(group: "narrow", topics: ["narrow"]).values.reduce(0, +) >= 2, "'bad' and what follows stay uncommitted")
    }

    @Test("a batch handler retries through retry topics: the failed batch moves to <topic>.retry-1 and runs again as attempt 2")
    func batchHandlersUseRetryTopics() async throws {
        let broker = try await broker()
        let batches = Mutex<[(count: Int, attempt: Int)]>([])
        let failFirst = Mutex(true)
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "likes", pollTimeout: .milliseconds(10), sleep: { _ in }),
            handlers: [EventHandlerRegistration(ProductLiked.self, batch: { likes in
                let fail = failFirst.withLock { first in defer { first = false }; return first }
                if fail { throw TestFailure() }
                batches.withLock { $0.append((likes.count, likes.first?.context.attempt ?? 0)) }
            }).retrying(.topics)],
            inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        // One product: one partition, one batch.
        try await publish(broker, (0..<5).map { ProductLiked(productId: "p", userId: "u\($0)") })
        try await waitUntil { processor.statistics.handled == 5 }
        processor.stop()
        try await task.value
        #expect(processor.statistics.retried == 1 && processor.statistics.deadLettered == 0)
        #expect(batches.withLock { $0.map(\.count) }.reduce(0, +) == 5)
        #expect(batches.withLock { $0 }.allSatisfy { $0.attempt == 2 }, "the moved batch runs as attempt 2: \(batches.withLock { $0 })")
        let partition = Murmur2.partition(forKey: Array("p".utf8), partitions: ProductLiked.partitions)
        #expect(try broker.offsets(of: TopicPartition("likes.product-likes.retry-1", partition)).end == 5)
    }

    @Test("every count in the statistics equals its metric: handled, duplicates, ignored, retried, dead-lettered, skipped")
    func statisticsAndMetricsAgree() async throws {
        let metrics = TestMetrics()
        let broker = try await broker(metrics: metrics)
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "all", pollTimeout: .milliseconds(10), sleep: { _ in }, metrics: metrics),
            handlers: [
                EventHandlerRegistration(OrderApproved.self) { event, context in
                    if event.orderId == "flaky", context.attempt == 1 { throw TestFailure() }
                    if event.orderId == "rejected" { throw RejectedForGood() }
                },
                EventHandlerRegistration(NarrowDeadLetterEvent.self) { _, _ in throw TestFailure() },
            ],
            inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        let id = UUID()
        try await publish(broker, [OrderApproved(orderId: "once", approvedBy: "x")], id: id)
        try await publish(broker, [OrderApproved(orderId: "once", approvedBy: "x")], id: id)
        try await publish(broker, [
            OrderApproved(orderId: "flaky", approvedBy: "x"), OrderApproved(orderId: "rejected", approvedBy: "x"),
            OrderCancelled(orderId: "nobody-handles-this", reason: .other), NarrowDeadLetterEvent(id: "n"),
        ])
        try await waitUntil {
            let statistics = processor.statistics
            return statistics.handled == 2 && statistics.duplicatesSkipped == 1 && statistics.ignored == 1
                && statistics.deadLettered == 1 && statistics.skipped == 1
        }
        processor.stop()
        try await task.value
        let statistics = processor.statistics
        func total(_ name: String) -> Int64 {
            metrics.counters.filter { $0.label == "eventcontracts_processor_\(name)_total" && $0.dimensions.contains { $0 == ("group", "all") } }
                .reduce(0) { $0 + $1.totalValue }
        }
        #expect(total("handled") == Int64(statistics.handled))
        #expect(total("duplicates_skipped") == Int64(statistics.duplicatesSkipped))
        #expect(total("ignored") == Int64(statistics.ignored))
        #expect(total("retried") == Int64(statistics.retried) && statistics.retried == 2)
        #expect(total("dead_lettered") == Int64(statistics.deadLettered))
        #expect(total("skipped") == Int64(statistics.skipped))
    }
}
