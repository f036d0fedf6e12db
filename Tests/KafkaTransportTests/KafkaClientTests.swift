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
}
#endif
