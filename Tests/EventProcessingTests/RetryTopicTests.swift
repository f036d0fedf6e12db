import EventBroker
import EventProcessing
import EventTestKit
import EventTestSupport
import Foundation
import GeneratedContracts
import Synchronization
import Testing

@Suite("Retry topics")
struct RetryTopicTests {
    @Test("a failing record moves to <topic>.retry-N with its due time while later records go on; it is handled when it succeeds")
    func retryTopicsDoNotBlockThePartition() async throws {
        let broker = try InProcessBroker(.testing(clock: SystemClock()))
        try broker.createTopics(for: EventCatalog.contracts)
        let failures = Mutex(["first": 2])
        let order = Mutex<[String]>([])
        let waits = Mutex<[Duration]>([])
        let processor = EventProcessor(
            transport: broker,
            configuration: .init(groupId: "g", pollTimeout: .milliseconds(10), sleep: { duration in waits.withLock { $0.append(duration) } }),
            handlers: [EventHandlerRegistration(OrderApproved.self) { event, context in
                let fail = failures.withLock { failures -> Bool in
                    guard let left = failures[event.approvedBy], left > 0 else { return false }
                    failures[event.approvedBy] = left - 1
                    return true
                }
                if fail { throw TestFailure() }
                order.withLock { $0.append("\(event.approvedBy)#\(context.attempt)") }
            }.retrying(.topics)],
            inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        // One key, so one partition: with blocking retries "second" would wait for "first".
        try await publisher.publish(OrderApproved(orderId: "k", approvedBy: "first"))
        try await publisher.publish(OrderApproved(orderId: "k", approvedBy: "second"))
        for _ in 0..<300 where processor.statistics.handled < 2 { try await Task.sleep(for: .milliseconds(10)) }
        processor.stop()
        try await task.value
        #expect(processor.statistics.retried == 2)
        #expect(order.withLock { $0 } == ["second#1", "first#3"])
        let partition = Murmur2.partition(forKey: Array("k".utf8), partitions: OrderApproved.partitions)
        #expect(try broker.offsets(of: TopicPartition("orders.retry-1", partition)).end == 1)
        #expect(try broker.offsets(of: TopicPartition("orders.retry-2", partition)).end == 1)
        #expect(broker.topicNames().contains("orders.retry-4") && !broker.topicNames().contains("orders.retry-5"))
        // The moved record says which attempt is next and when it is due: the contract's backoff
        // (OrderApproved: 100 ms, jittered into [50, 100]) after it was moved.
        let reader = try await broker.makeConsumer(ConsumerConfig(groupId: "check", offsetReset: .earliest))
        try await reader.subscribe(["orders.retry-1"])
        let moved = try #require(try await drain(reader, count: 1).first)
        #expect(moved.headers.value(of: "eventcontracts-retry-attempt") == "2")
        let due = try #require(moved.headers.value(of: "eventcontracts-retry-due").flatMap(Int64.init))
        #expect(due - moved.timestamp >= 50 && due - moved.timestamp <= 100 + 1_000)
        #expect(waits.withLock { $0 }.allSatisfy { $0 <= .milliseconds(200) })  // the second retry waits up to 200 ms
    }

    @Test("after the last retry topic the record is dead-lettered, reported where it was first published")
    func exhaustedRetryTopicsDeadLetter() async throws {
        let broker = try InProcessBroker(.testing(clock: SystemClock()))
        try broker.createTopics(for: EventCatalog.contracts)
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "g", pollTimeout: .milliseconds(10), sleep: { _ in }),
            handlers: [EventHandlerRegistration(OrderApproved.self) { _, _ in throw TestFailure() }.retrying(.topics)],
            inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        try await publisher.publish(OrderApproved(orderId: "doomed", approvedBy: "x"))
        for _ in 0..<300 where processor.statistics.deadLettered < 1 { try await Task.sleep(for: .milliseconds(10)) }
        processor.stop()
        try await task.value
        let letters = try await DeadLetters.list("orders.dlq", transport: broker)
        let letter = try #require(letters.first)
        #expect(letters.count == 1)
        #expect(letter.originalTopic == "orders" && letter.originalOffset == 0 && letter.attempts == 5)
        #expect(!letter.record.headers.contains { $0.name.hasPrefix("eventcontracts-retry") })
        #expect(processor.statistics.retried == 4)
    }
}
