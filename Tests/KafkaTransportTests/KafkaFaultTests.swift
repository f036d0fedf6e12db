#if Kafka
import EventRuntime
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import KafkaTransport
import Synchronization
import Testing

@Suite("Kafka transport under faults", .serialized)
struct KafkaFaultTests {
    /// Counts how often each value was read.
    private func readCounts(_ kafka: any KafkaUnderTest, topic: String, expecting count: Int, group: String) async throws -> [String: Int] {
        let consumer = try await kafka.transport.makeConsumer(testConsumer(group))
        try await consumer.subscribe([topic])
        let records = try await drain(consumer, count: count)
        // A little longer: duplicates would arrive after the count is reached.
        let extra = try await consumer.poll(max: 1_000, timeout: .milliseconds(300))
        try await consumer.close()
        return (records + extra).reduce(into: [:]) { $0[$1.text, default: 0] += 1 }
    }

    @Test("injected produce errors and a broker down and up: every acknowledged record is stored exactly once")
    func produceErrorsAndBrokerOutage() async throws {
        let kafka = try MockKafka(topics: ["payments": 6])
        let producer = try await kafka.transport.makeProducer(ProducerConfig())
        // Retriable broker errors on the next produce requests: librdkafka retries them, and the
        // idempotent producer's sequence numbers keep a retried batch from being stored twice.
        kafka.cluster.failNextRequests(.produce, withErrors: [6, 7, 19, 7, 6, 19, 7])  // NOT_LEADER, REQUEST_TIMED_OUT, NOT_ENOUGH_REPLICAS
        var acknowledged: [String] = []
        for batch in 0..<20 {
            if batch == 6 {
                // Sends while broker 1 is away wait in librdkafka's queue until it is back.
                try kafka.cluster.setBrokerDown(1)
                Task {
                    try await Task.sleep(for: .milliseconds(700))
                    try kafka.cluster.setBrokerUp(1)
                }
            }
            let values = (0..<50).map { "payment-\(batch)-\($0)" }
            let metadata = try await producer.send(values.map { record("payments", key: "key-\($0.hashValue % 97)", $0) })
            #expect(metadata.count == 50 && metadata.allSatisfy { $0.offset >= 0 })
            acknowledged += values
        }
        await producer.close()

        let counts = try await readCounts(kafka, topic: "payments", expecting: acknowledged.count, group: "audit")
        #expect(counts.count == acknowledged.count, "lost \(Set(acknowledged).subtracting(counts.keys).count) acknowledged records")
        #expect(counts.values.allSatisfy { $0 == 1 }, "duplicates: \(counts.filter { $0.value > 1 }.keys.sorted().prefix(5))")
    }

    @Test("a second processor joins mid-stream and leaves again: nothing is lost, the inbox absorbs redeliveries",
          arguments: KafkaBrokerKind.allCases)
    func rebalanceMidStream(broker: KafkaBrokerKind) async throws {
        let kafka = try await broker.make(topics: [OrderCreated.topic: OrderCreated.partitions, OrderCreated.delivery.deadLetterTopic: OrderCreated.partitions])
        let effects = Mutex<[String: Int]>([:])
        let inbox = InMemoryInbox()
        func processor() -> EventProcessor {
            EventProcessor(
                transport: kafka.transport,
                configuration: .init(
                    groupId: "payments", maxPollRecords: 20, pollTimeout: .milliseconds(50),
                    consumer: testConsumer("payments", assignment: .cooperativeSticky), logger: kafka.logger),
                handlers: [EventHandlerRegistration(OrderCreated.self) { order, _ in effects.withLock { $0[order.orderId, default: 0] += 1 } }],
                inbox: inbox)
        }
        let producer = try await kafka.transport.makeProducer(ProducerConfig())
        let publisher = EventPublisher(sink: producer, source: "/tests/orders")
        func publish(_ range: Range<Int>) async throws {
            let records = try range.map {
                try publisher.record(for: OrderCreated(orderId: "order-\($0)", customerId: "c", items: [], total: .init(amount: "1")))
            }
            _ = try await producer.send(records)
        }

        // A steady stream, 10 orders every 20 ms, while processors come and go.
        let keepPublishing = Mutex(true)
        let stream = Task {
            var published = 0
            while keepPublishing.withLock({ $0 }) {
                try await publish(published..<published + 10)
                published += 10
                try await Task.sleep(for: .milliseconds(20))
            }
            return published
        }
        let first = processor()
        let firstTask = Task { try await first.run() }
        #expect(await eventually { effects.withLock { $0.count } >= 100 })

        let second = processor()
        let secondTask = Task { try await second.run() }
        #expect(await eventually(within: .seconds(60)) { second.statistics.handled >= 20 }, "the second processor never got partitions")
        second.stop()
        try await secondTask.value
        try await Task.sleep(for: .milliseconds(500))
        keepPublishing.withLock { $0 = false }
        let total = try await stream.value

        #expect(await eventually(within: .seconds(60)) { effects.withLock { $0.count } == total })
        first.stop()
        try await firstTask.value
        await producer.close()
        let result = effects.withLock { $0 }
        #expect(result.count == total, "missing \((0..<total).map { "order-\($0)" }.filter { result[$0] == nil }.prefix(10)); first \(first.statistics), second \(second.statistics)")
        #expect(result.values.allSatisfy { $0 == 1 }, "applied twice: \(result.filter { $0.value > 1 }.keys.sorted().prefix(5))")
        let handled = first.statistics.handled + second.statistics.handled
        // Each order's effect happened once; handled counts effects, skipped redeliveries are not in it.
        #expect(handled == total)
    }
}
#endif
