#if Kafka
import EventRuntime
import EventTestSupport
import KafkaTransport
import Testing

@Suite("Kafka producer and consumer on the mock cluster")
struct KafkaProducerTests {
    @Test("records sent are read back in order per partition with key, value, headers and timestamp")
    func roundTrip() async throws {
        let kafka = try MockKafka(topics: ["orders": 3])
        let producer = try await kafka.transport.makeProducer(ProducerConfig())
        let headers = [RecordHeader("ce_type", "OrderCreated"), RecordHeader("empty", bytes: [])]
        var records = (0..<30).map { record("orders", key: "key-\($0 % 5)", "value-\($0)", headers: headers) }
        records[0].timestamp = 1_700_000_000_123
        let metadata = try await producer.send(records)
        #expect(metadata.count == 30)
        #expect(metadata.allSatisfy { $0.offset >= 0 && $0.topic == "orders" })
        // (Not the metadata's timestamp: 2.0.2's mock answers every produce with a LogAppendTime of 1234.)
        await producer.close()

        let consumer = try await kafka.transport.makeConsumer(testConsumer("readers"))
        try await consumer.subscribe(["orders"])
        let read = try await drain(consumer, count: 30)
        #expect(read.count == 30)
        let first = try #require(read.first { $0.text == "value-0" })
        #expect(first.keyText == "key-0")
        #expect(first.headers == headers)
        #expect(first.timestamp == 1_700_000_000_123)
        // Each key stays on one partition, and a partition's records come in the order sent.
        for key in 0..<5 {
            let sameKey = read.filter { $0.keyText == "key-\(key)" }
            #expect(Set(sameKey.map(\.partition)).count == 1)
            #expect(sameKey.map(\.text) == (0..<30).filter { $0 % 5 == key }.map { "value-\($0)" })
        }
        for (index, sent) in metadata.enumerated() {
            let got = try #require(read.first { $0.text == "value-\(index)" })
            #expect(got.partition == sent.partition && got.offset == sent.offset)
        }
        try await consumer.close()
    }
}
#endif
