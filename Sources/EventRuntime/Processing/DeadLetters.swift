/// A record in a dead-letter topic, with the facts the processor added.
public struct DeadLetter: Sendable, Hashable {
    /// The record as it sits in the dead-letter topic.
    public var record: ConsumerRecord

    public init(record: ConsumerRecord) { self.record = record }

    public var originalTopic: String? { record.headers.value(of: DeadLetterHeader.originalTopic) }
    public var originalPartition: Int? { record.headers.value(of: DeadLetterHeader.originalPartition).flatMap(Int.init) }
    public var originalOffset: Int64? { record.headers.value(of: DeadLetterHeader.originalOffset).flatMap(Int64.init) }
    public var consumerGroup: String? { record.headers.value(of: DeadLetterHeader.originalConsumerGroup) }
    public var cause: String? { record.headers.value(of: DeadLetterHeader.cause) }
    public var attempts: Int? { record.headers.value(of: DeadLetterHeader.attempts).flatMap(Int.init) }
    public var errorType: String? { record.headers.value(of: DeadLetterHeader.exceptionType) }
    public var errorMessage: String? { record.headers.value(of: DeadLetterHeader.exceptionMessage) }
    public var eventType: String? { record.headers.value(of: CloudEventHeader.type) }
    public var eventId: String? { record.headers.value(of: CloudEventHeader.id) }

    /// The record as it was first published: same topic, key, value and headers, without the
    /// dead-letter facts. What a replay sends.
    public var original: OutgoingRecord? {
        guard let originalTopic else { return nil }
        let added: Set<String> = [
            DeadLetterHeader.originalTopic, DeadLetterHeader.originalPartition, DeadLetterHeader.originalOffset,
            DeadLetterHeader.originalTimestamp, DeadLetterHeader.originalConsumerGroup, DeadLetterHeader.exceptionType,
            DeadLetterHeader.exceptionMessage, DeadLetterHeader.attempts, DeadLetterHeader.cause,
        ]
        return OutgoingRecord(
            topic: originalTopic, key: record.key, value: record.value, headers: record.headers.filter { !added.contains($0.name) })
    }
}

/// Looking at and replaying dead-letter topics: once the bug that sent records there is fixed,
/// `replay` publishes them to their original topic again, where the (fixed) handlers get them.
public enum DeadLetters {
    /// Every record in `topic`, oldest first per partition (the topic is read by a throwaway
    /// group, so nothing is committed).
    public static func list(_ topic: String, transport: any Transport) async throws -> [DeadLetter] {
        let consumer = try await transport.makeConsumer(
            ConsumerConfig(groupId: "eventcontracts-dlq-list-\(UInt64.random(in: 0...UInt64.max))", offsetReset: .earliest))
        try await consumer.subscribe([topic])
        var letters: [DeadLetter] = []
        var empty = 0
        while empty < 3 {
            let batch = try await consumer.poll(max: 1_000, timeout: .milliseconds(50))
            empty = batch.isEmpty ? empty + 1 : 0
            letters += batch.map(DeadLetter.init)
        }
        try await consumer.close()
        return letters.sorted { ($0.record.partition, $0.record.offset) < ($1.record.partition, $1.record.offset) }
    }

    /// Republishes the dead letters of `topic` that `filter` accepts to their original topics
    /// (same key, value and original headers, so the event keeps its id and the inbox still
    /// recognises one already applied). Progress is committed under the group `<topic>.replay`,
    /// so a second replay sends only what arrived since. Returns the records sent.
    @discardableResult
    public static func replay(
        _ topic: String, transport: any Transport, where filter: @Sendable (DeadLetter) -> Bool = { _ in true }
    ) async throws -> [OutgoingRecord] {
        let consumer = try await transport.makeConsumer(ConsumerConfig(groupId: topic + ".replay", offsetReset: .earliest))
        try await consumer.subscribe([topic])
        let producer = try await transport.makeProducer(ProducerConfig(acks: .all))
        var sent: [OutgoingRecord] = []
        var empty = 0
        while empty < 3 {
            let batch = try await consumer.poll(max: 1_000, timeout: .milliseconds(50))
            empty = batch.isEmpty ? empty + 1 : 0
            guard !batch.isEmpty else { continue }
            let records = batch.map(DeadLetter.init).filter(filter).compactMap(\.original)
            if !records.isEmpty { _ = try await producer.send(records) }
            sent += records
            var next: [TopicPartition: Int64] = [:]
            for record in batch { next[record.topicPartition] = max(next[record.topicPartition] ?? 0, record.offset + 1) }
            try await consumer.commit(next)
        }
        await producer.close()
        try await consumer.close()
        return sent
    }
}
