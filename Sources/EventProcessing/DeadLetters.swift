import EventTransport

/// A record in a dead-letter topic, with the facts the processor added.
public struct DeadLetter: Sendable, Hashable {
    /// The record as it sits in the dead-letter topic.
    public var record: ConsumerRecord

    /// A dead letter as read from its topic.
    public init(record: ConsumerRecord) { self.record = record }

    /// The topic the event was first published to (`kafka_dlt-original-topic`).
    public var originalTopic: String? { record.headers.value(of: DeadLetterHeader.originalTopic) }
    /// The partition it was read from (`kafka_dlt-original-partition`).
    public var originalPartition: Int? { record.headers.value(of: DeadLetterHeader.originalPartition).flatMap(Int.init) }
    /// Its offset there (`kafka_dlt-original-offset`).
    public var originalOffset: Int64? { record.headers.value(of: DeadLetterHeader.originalOffset).flatMap(Int64.init) }
    /// The consumer group that gave up on it (`kafka_dlt-original-consumer-group`).
    public var consumerGroup: String? { record.headers.value(of: DeadLetterHeader.originalConsumerGroup) }
    /// Why: `deserialization`, `contract-violation` or `exhausted` (`eventcontracts-dlt-cause`).
    public var cause: String? { record.headers.value(of: DeadLetterHeader.cause) }
    /// How many times the handler ran (`eventcontracts-dlt-attempts`).
    public var attempts: Int? { record.headers.value(of: DeadLetterHeader.attempts).flatMap(Int.init) }
    /// The last error's type (`kafka_dlt-exception-fqcn`).
    public var errorType: String? { record.headers.value(of: DeadLetterHeader.exceptionType) }
    /// The last error's message (`kafka_dlt-exception-message`).
    public var errorMessage: String? { record.headers.value(of: DeadLetterHeader.exceptionMessage) }
    /// The event's type (`ce_type`).
    public var eventType: String? { record.headers.value(of: CloudEventHeader.type) }
    /// The event's id (`ce_id`), which a replay keeps.
    public var eventId: String? { record.headers.value(of: CloudEventHeader.id) }

    /// The record as it was first published: same topic, key, value and headers, without the
    /// dead-letter facts. What a replay sends.
    public var original: OutgoingRecord? {
        guard let originalTopic else { return nil }
        let added: Set<String> = [
            DeadLetterHeader.originalTopic, DeadLetterHeader.originalPartition, DeadLetterHeader.originalOffset,
            DeadLetterHeader.originalTimestamp, DeadLetterHeader.originalConsumerGroup, DeadLetterHeader.exceptionType,
            DeadLetterHeader.exceptionMessage, DeadLetterHeader.attempts, DeadLetterHeader.cause, DeadLetterHeader.replayOf,
        ]
        return OutgoingRecord(
            topic: originalTopic, key: record.key, value: record.value, headers: record.headers.filter { !added.contains($0.name) })
    }
}

/// Looking at and replaying dead-letter topics: once the bug that sent records there is fixed,
/// `replay` publishes them to their original topic again, where the (fixed) handlers get them.
public enum DeadLetters {
    /// `topic` holds records without the dead-letter headers the processor writes: it is not a
    /// dead-letter topic, and listing or replaying it would only print or send garbage.
    public struct NotADeadLetterTopic: Error, CustomStringConvertible {
        /// The topic that was asked for.
        public var topic: String
        /// Its records without dead-letter headers (the first few are in `examples`).
        public var count: Int
        /// A few of those records, as `partition@offset`.
        public var examples: [String]

        /// What it says, in one line.
        public var description: String {
            "\(topic) is not a dead-letter topic: \(count) of its records carry no dead-letter headers (\(examples.joined(separator: ", "))); "
                + "a contract's dead letters go to its dlq.topic, by default <topic>.dlq"
        }
    }

    /// Every record in `topic`, oldest first per partition (the topic is read by a throwaway
    /// group, so nothing is committed). Throws `NotADeadLetterTopic` when records in it carry no
    /// dead-letter headers.
    public static func list(_ topic: String, transport: any Transport) async throws -> [DeadLetter] {
        let consumer = try await transport.makeConsumer(
            ConsumerConfig(
                groupId: "eventcontracts-dlq-list-\(UInt64.random(in: 0...UInt64.max))", offsetReset: .earliest,
                sessionTimeout: toolSessionTimeout))
        try await consumer.subscribe([topic])
        var letters: [DeadLetter] = []
        try await readToEnd(topic, consumer) { batch in letters += batch.map(DeadLetter.init) }
        try await consumer.close()
        try requireDeadLetters(letters, in: topic)
        return letters.sorted { ($0.record.partition, $0.record.offset) < ($1.record.partition, $1.record.offset) }
    }

    /// How long a reader waits to be given the topic's partitions (a Kafka group join takes
    /// seconds; the in-process broker assigns at once).
    static let joinTimeout: Duration = .seconds(30)

    /// The tools' consumers read and leave. Should one not leave cleanly, Kafka holds the next
    /// join of its group (the next replay) until its session expires: keep that short.
    static let toolSessionTimeout: Duration = .seconds(10)

    /// Polls until the consumer holds the topic's partitions and has read each to its end (lag 0;
    /// partitions `skipping` says are done count as read), handing each non-empty batch over.
    /// Counting empty polls instead ended before a Kafka group had even joined.
    static func readToEnd(
        _ topic: String, _ consumer: any TransportConsumer, skipping: (TopicPartition) -> Bool = { _ in false },
        _ handle: ([ConsumerRecord]) async throws -> Void
    ) async throws {
        let started = ContinuousClock.now
        while true {
            let batch = try await consumer.poll(max: 1_000, timeout: .milliseconds(100))
            if !batch.isEmpty {
                try await handle(batch)
                continue
            }
            if await !consumer.assignment().isEmpty {
                let lag = try await consumer.lag()
                if lag.allSatisfy({ skipping($0.key) || $0.value == 0 }) { return }
            } else if ContinuousClock.now - started > joinTimeout {
                throw TransportError(.unknownTopicOrPartition, "no partition of '\(topic)' was assigned within \(joinTimeout): does the topic exist?")
            }
        }
    }

    static func requireDeadLetters(_ letters: [DeadLetter], in topic: String) throws(NotADeadLetterTopic) {
        let strays = letters.filter { $0.originalTopic == nil }
        guard !strays.isEmpty else { return }
        throw NotADeadLetterTopic(
            topic: topic, count: strays.count, examples: strays.prefix(3).map { "\($0.record.topicPartition)@\($0.record.offset)" })
    }

    /// Republishes the dead letters of `topic` that `filter` accepts to their original topics
    /// (same key, value and original headers, so the event keeps its id and the inbox still
    /// recognises one already applied). Progress is committed under the group `<topic>.replay`,
    /// so a second replay sends only what arrived since. Returns the records sent. Throws
    /// `NotADeadLetterTopic`, replaying nothing, when a record in it has no dead-letter headers.
    @discardableResult
    public static func replay(
        _ topic: String, transport: any Transport, where filter: @Sendable (DeadLetter) -> Bool = { _ in true }
    ) async throws -> [OutgoingRecord] {
        let consumer = try await transport.makeConsumer(
            ConsumerConfig(groupId: topic + ".replay", offsetReset: .earliest, sessionTimeout: toolSessionTimeout))
        try await consumer.subscribe([topic])
        let producer = try await transport.makeProducer(ProducerConfig(acks: .all))
        var sent: [OutgoingRecord] = []
        // What this run replayed. A copy that fails again while the replay runs lands in the
        // dead-letter topic again; meeting one means this partition is done for this run (it is
        // paused, and nothing from it onwards is committed, so the next replay starts there).
        var replayed = Set<String>()
        var finished = Set<TopicPartition>()
        try await readToEnd(topic, consumer, skipping: { finished.contains($0) }) { batch in
            var records: [OutgoingRecord] = []
            var next: [TopicPartition: Int64] = [:]
            do {
                try requireDeadLetters(batch.map(DeadLetter.init), in: topic)
            } catch {
                await producer.close()
                try? await consumer.close()
                throw error
            }
            for record in batch where !finished.contains(record.topicPartition) {
                if let source = record.headers.value(of: DeadLetterHeader.replayOf), replayed.contains(source) {
                    finished.insert(record.topicPartition)
                    try await consumer.pause([record.topicPartition])
                    continue
                }
                next[record.topicPartition] = record.offset + 1
                let letter = DeadLetter(record: record)
                guard filter(letter), var original = letter.original else { continue }
                let mark = "\(record.topic)-\(record.partition)@\(record.offset)"
                replayed.insert(mark)
                original.headers.append(RecordHeader(DeadLetterHeader.replayOf, mark))
                records.append(original)
            }
            if !records.isEmpty { _ = try await producer.send(records) }
            sent += records
            if !next.isEmpty { try await consumer.commit(next) }
        }
        await producer.close()
        try await consumer.close()
        return sent
    }
}
