import EventBroker
import EventTestKit
import EventTestSupport
import Testing

@Suite("Retention")
struct RetentionTests {
    /// Small segments so retention has whole segments to delete.
    private func config(_ partitions: Int, ms: Int64? = nil, bytes: Int? = nil) -> TopicConfig {
        TopicConfig(partitions: partitions, retentionMilliseconds: ms, retentionBytes: bytes, segmentBytes: 500)
    }

    @Test("segments older than retention.ms are deleted whole, and the log start offset moves")
    func retentionByTime() async throws {
        let clock = ManualClock()
        let broker = try await makeBroker(["t": 1], clock: clock, config: { config($0, ms: 60_000) })
        let producer = try await broker.makeProducer(ProducerConfig())
        for _ in 0..<10 { _ = try await producer.send([record("t", key: nil, String(repeating: "o", count: 100))]) }
        clock.advance(by: .seconds(120))
        for _ in 0..<3 { _ = try await producer.send([record("t", key: nil, String(repeating: "n", count: 100))]) }
        try broker.enforceRetention()
        let offsets = try broker.offsets(of: TopicPartition("t", 0))
        #expect(offsets.end == 13)
        #expect(offsets.start > 0 && offsets.start <= 10)
        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "g", offsetReset: .earliest))
        try await consumer.subscribe(["t"])
        let records = try await drain(consumer, count: Int(13 - offsets.start))
        #expect(records.first?.offset == offsets.start)
        #expect(records.suffix(3).allSatisfy { $0.text.hasPrefix("n") })
    }

    @Test("oldest segments are deleted while the rest still exceed retention.bytes; the active segment stays")
    func retentionBySize() async throws {
        let broker = try await makeBroker(["t": 1], config: { config($0, bytes: 1_000) })
        let producer = try await broker.makeProducer(ProducerConfig())
        for _ in 0..<40 { _ = try await producer.send([record("t", key: nil, String(repeating: "x", count: 100))]) }
        try broker.enforceRetention()
        let offsets = try broker.offsets(of: TopicPartition("t", 0))
        #expect(offsets.end == 40)
        // ~150 bytes per record: about 1,000 bytes (7–10 records) remain, in whole segments.
        #expect(offsets.end - offsets.start >= 6 && offsets.end - offsets.start <= 12)
    }

    @Test("a consumer whose position fell below the log start resets by its policy (none: an error)")
    func consumerBelowLogStartResets() async throws {
        let clock = ManualClock()
        let broker = try await makeBroker(["t": 1], clock: clock, config: { config($0, ms: 1_000) })
        let producer = try await broker.makeProducer(ProducerConfig())
        _ = try await producer.send((0..<10).map { _ in record("t", key: nil, String(repeating: "a", count: 100)) })
        let earliest = try await broker.makeConsumer(ConsumerConfig(groupId: "e", offsetReset: .earliest))
        let none = try await broker.makeConsumer(ConsumerConfig(groupId: "n", offsetReset: .none))
        for consumer in [earliest, none] {
            try await consumer.subscribe(["t"])
            _ = try await consumer.poll(max: 0, timeout: .zero)
            try await consumer.seek(TopicPartition("t", 0), to: .offset(0))
        }
        clock.advance(by: .seconds(5))
        _ = try await producer.send((0..<10).map { _ in record("t", key: nil, String(repeating: "b", count: 100)) })
        try broker.enforceRetention()
        let start = try broker.offsets(of: TopicPartition("t", 0)).start
        #expect(start >= 10)
        #expect(try await drain(earliest, count: Int(20 - start)).first?.offset == start)
        #expect(await expectTransportError(.offsetOutOfRange) { _ = try await none.poll(max: 10, timeout: .zero) })
    }
}
