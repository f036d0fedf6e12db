import EventBroker
import EventProcessing
import EventTestSupport
import Foundation
import GeneratedContracts
import Synchronization
import Testing

@Suite("Dead-letter replay")
struct DeadLetterReplayTests {
    @Test("after the fix, replay republishes dead letters as they were first published, once; the fixed handler takes them")
    func replayAfterTheFix() async throws {
        let broker = try InProcessBroker(.testing())
        try broker.createTopics(for: EventCatalog.contracts)
        let fixed = Mutex(false)
        let handled = Mutex<[String]>([])
        let processor = EventProcessor(
            transport: broker, configuration: .init(groupId: "approvals", pollTimeout: .milliseconds(10), sleep: { _ in }),
            handlers: [EventHandlerRegistration(OrderApproved.self) { event, _ in
                guard fixed.withLock({ $0 }) else { throw TestFailure() }
                handled.withLock { $0.append(event.orderId) }
            }],
            inbox: InMemoryInbox())
        let task = Task { try await processor.run() }
        let publisher = EventPublisher(sink: try await broker.makeProducer(ProducerConfig()), source: "/tests")
        for index in 0..<3 { try await publisher.publish(OrderApproved(orderId: "o\(index)", approvedBy: "x")) }
        for _ in 0..<300 where processor.statistics.deadLettered < 3 { try await Task.sleep(for: .milliseconds(10)) }

        let letters = try await DeadLetters.list("orders.dlq", transport: broker)
        #expect(letters.count == 3)
        #expect(letters.allSatisfy { $0.originalTopic == "orders" && $0.cause == "exhausted" && $0.attempts == 5 && $0.eventType == "OrderApproved" })
        let original = try #require(letters.first?.original)
        #expect(original.headers.allSatisfy { !$0.name.hasPrefix("kafka_dlt") && !$0.name.hasPrefix("eventcontracts-dlt") })
        #expect(original.headers.value(of: CloudEventHeader.id) == letters.first?.eventId)

        // Replayed before the fix: the copies fail again and are dead-lettered again (not taken for duplicates).
        #expect(try await DeadLetters.replay("orders.dlq", transport: broker).count == 3)
        for _ in 0..<300 where processor.statistics.deadLettered < 6 { try await Task.sleep(for: .milliseconds(10)) }
        let again = try await DeadLetters.list("orders.dlq", transport: broker)
        #expect(again.count == 6)
        #expect(again.filter { $0.record.headers.value(of: DeadLetterHeader.replayOf) != nil }.count == 3)

        fixed.withLock { $0 = true }
        let sent = try await DeadLetters.replay("orders.dlq", transport: broker) { $0.eventType == "OrderApproved" }
        #expect(sent.count == 3)
        #expect(try await DeadLetters.replay("orders.dlq", transport: broker).isEmpty)  // already replayed
        for _ in 0..<300 where processor.statistics.handled < 3 { try await Task.sleep(for: .milliseconds(10)) }
        processor.stop()
        try await task.value
        #expect(handled.withLock { $0.sorted() } == ["o0", "o1", "o2"])
    }
}
