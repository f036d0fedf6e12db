#if Kafka
import EventRuntime
import EventTestSupport
import KafkaTransport
import Synchronization
import Testing

/// What only Kafka has; the semantics shared with the in-process broker (round trips, commits,
/// hand-over, seek, pause and resume, lag, transactions) are in TransportConformanceTests.
@Suite("Kafka clients on the mock cluster", .serialized)
struct KafkaClientTests {
    @Test("idempotence needs acks all: a producer asking for less is refused with librdkafka's configuration error")
    func idempotenceNeedsAcksAll() async throws {
        let kafka = try MockKafka(topics: ["events": 2])
        let error = await #expect(throws: KafkaError.self) { _ = try await kafka.transport.makeProducer(ProducerConfig(acks: .leader)) }
        #expect(error?.name == "CONFIGURATION")
    }

    @Test("a cooperative consumer closed before its first assignment does not abort the process (librdkafka before 2.3 asserted)")
    func cooperativeConsumerClosedBeforeItsFirstAssignment() async throws {
        let kafka = try MockKafka(brokers: 1, topics: ["events": 2])
        // Every SyncGroup is refused (27 REBALANCE_IN_PROGRESS): the member joins the group, so
        // librdkafka picks the sticky assignor, but never receives an assignment. librdkafka before
        // 2.3 asserts on that assignor's missing state when such a consumer is destroyed (#4312).
        kafka.cluster.failNextRequests(.syncGroup, withErrors: Array(repeating: 27, count: 10_000))
        do {
            let consumer = try await kafka.transport.makeConsumer(testConsumer("never-assigned", assignment: .cooperativeSticky))
            try await consumer.subscribe(["events"])
            for _ in 0..<60 { _ = try await consumer.poll(max: 10, timeout: .milliseconds(100)) }
            #expect(await consumer.assignment().isEmpty)
            try await consumer.close()
        }
        // The last reference is gone: the client is torn down on a dispatch queue; give it the time.
        try await Task.sleep(for: .seconds(2))
    }
}
#endif
