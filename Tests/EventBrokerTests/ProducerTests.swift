import EventBroker
import EventTestKit
import EventTestSupport
import Testing

@Suite("Producing")
struct ProducerTests {
    @Test("records get contiguous offsets per partition, in send order, with key, value, headers and timestamp")
    func offsetsAreContiguousPerPartition() async throws {
        let broker = try await makeBroker(["t": 2])
        let producer = try await broker.makeProducer(ProducerConfig())
        let first = try await producer.send([record("t", key: nil, "a", partition: 0), record("t", key: nil, "b", partition: 1)])
        let second = try await producer.send([
            record("t", key: nil, "c", partition: 0, timestamp: 5), record("t", key: nil, "d", partition: 0),
        ])
        #expect(first.map(\.offset) == [0, 0])
        #expect(second.map(\.offset) == [1, 2])
        #expect(second[0].timestamp == 5)

        let consumer = try await broker.makeConsumer(ConsumerConfig(groupId: "g", offsetReset: .earliest))
        try await consumer.subscribe(["t"])
        let records = try await drain(consumer, count: 4).filter { $0.partition == 0 }
        #expect(records.map(\.text) == ["a", "c", "d"])
        #expect(records.map(\.offset) == [0, 1, 2])
        #expect(records[1].timestamp == 5)
        #expect(records[0].headers == [RecordHeader("h", "a")])
    }

    @Test("acks none answers without offsets; leader and all answer with them")
    func acksLevels() async throws {
        let broker = try await makeBroker(["t": 1])
        for (acks, expected) in [(DeliveryPolicy.Acks.none, Int64(-1)), (.leader, 1), (.all, 2)] {
            let producer = try await broker.makeProducer(ProducerConfig(acks: acks))
            let sent = try await producer.send([record("t", key: nil, "x")])
            #expect(sent[0].offset == expected)
        }
        #expect(try broker.offsets(of: TopicPartition("t", 0)).end == 3)
    }

    @Test("a resent batch (same producer id, epoch and sequence) is stored once and answered with its first offsets")
    func idempotentResendIsStoredOnce() async throws {
        let broker = try await makeBroker(["t": 1])
        let partition = TopicPartition("t", 0)
        let identity = ProducerIdentity(producerId: 900, epoch: 0, baseSequence: 0)
        let batch = [record("t", key: nil, "a"), record("t", key: nil, "b")]
        let first = try await broker.append(batch, to: partition, producer: identity)
        _ = try await broker.append([record("t", key: nil, "other")], to: partition, producer: nil)
        let resent = try await broker.append(batch, to: partition, producer: identity)
        #expect(first.map(\.offset) == [0, 1])
        #expect(resent.map(\.offset) == [0, 1])
        #expect(try broker.offsets(of: partition).end == 3)
    }

    @Test("a sequence gap is an out-of-order error and nothing is stored")
    func sequenceGapIsRejected() async throws {
        let broker = try await makeBroker(["t": 1])
        let partition = TopicPartition("t", 0)
        _ = try await broker.append([record("t", key: nil, "a")], to: partition, producer: .init(producerId: 5, epoch: 0, baseSequence: 0))
        let gap = await expectTransportError(.outOfOrderSequence) {
            _ = try await broker.append([record("t", key: nil, "c")], to: partition, producer: .init(producerId: 5, epoch: 0, baseSequence: 2))
        }
        #expect(gap)
        let firstNotZero = await expectTransportError(.outOfOrderSequence) {
            _ = try await broker.append([record("t", key: nil, "c")], to: partition, producer: .init(producerId: 6, epoch: 0, baseSequence: 3))
        }
        #expect(firstNotZero)
        #expect(try broker.offsets(of: partition).end == 1)
    }

    @Test("an older epoch of a producer id is fenced once a newer epoch wrote")
    func oldEpochIsFenced() async throws {
        let broker = try await makeBroker(["t": 1])
        let partition = TopicPartition("t", 0)
        _ = try await broker.append([record("t", key: nil, "a")], to: partition, producer: .init(producerId: 5, epoch: 0, baseSequence: 0))
        _ = try await broker.append([record("t", key: nil, "b")], to: partition, producer: .init(producerId: 5, epoch: 1, baseSequence: 0))
        let fenced = await expectTransportError(.invalidProducerEpoch) {
            _ = try await broker.append([record("t", key: nil, "c")], to: partition, producer: .init(producerId: 5, epoch: 0, baseSequence: 1))
        }
        #expect(fenced)
    }

    @Test("an idempotent producer numbers each partition from zero, so its sends never collide")
    func producerSequencesPerPartition() async throws {
        let broker = try await makeBroker(["t": 3])
        let producer = try await broker.makeProducer(ProducerConfig())
        for round in 0..<20 {
            _ = try await producer.send((0..<7).map { record("t", key: "k\($0 + round)", "v") })
        }
        var total: Int64 = 0
        for partition in 0..<3 { total += try broker.offsets(of: TopicPartition("t", partition)).end }
        #expect(total == 140)
    }

    @Test("unknown topics, missing partitions, oversized records and bad topic names are refused with what to do")
    func invalidSendsAreRefused() async throws {
        let broker = try await makeBroker(["t": 1], config: { TopicConfig(partitions: $0, maxRecordBytes: 200) })
        let producer = try await broker.makeProducer(ProducerConfig())
        #expect(await expectTransportError(.unknownTopicOrPartition) { _ = try await producer.send([record("nope", key: nil, "x")]) })
        #expect(await expectTransportError(.unknownTopicOrPartition) { _ = try await producer.send([record("t", key: nil, "x", partition: 3)]) })
        #expect(await expectTransportError(.recordTooLarge) {
            _ = try await producer.send([record("t", key: nil, String(repeating: "x", count: 300))])
        })
        #expect(await expectTransportError(.invalidTopic) { try await broker.createTopic("../etc", config: TopicConfig(partitions: 1)) })
        #expect(await expectTransportError(.topicAlreadyExists) { try await broker.createTopic("t", config: TopicConfig(partitions: 1)) })
        #expect(await expectTransportError(.invalidPartitions) { try await broker.createTopic("z", config: TopicConfig(partitions: 0)) })
        // The refused sends left nothing behind, and the producer still works.
        #expect(try await producer.send([record("t", key: nil, "ok")])[0].offset == 0)
    }

    @Test("topics and their dead-letter topics are created from the generated catalog's descriptors")
    func topicsFromTheCatalog() async throws {
        let broker = try await makeBroker([:])
        let descriptor = ContractDescriptor(PaymentCompletedForBroker.self)
        try broker.createTopics(for: [descriptor, descriptor])
        #expect(broker.topicNames() == ["payments", "payments.dlq"])
        #expect(try broker.offsets(of: TopicPartition("payments", 5)).end == 0)
    }
}

/// A minimal contract for catalog tests (the generated ones live in GeneratedContracts).
struct PaymentCompletedForBroker: EventContract {
    static let eventType = "PaymentCompleted"
    static let namespace = "payments"
    static let topic = "payments"
    static let partitions = 6
    static let keyField: String? = "paymentId"
    static let currentVersion = 1
    static let compatibility = CompatibilityLevel.backward
    static let delivery = DeliveryPolicy(
        acks: .all, idempotency: .inbox, retryAttempts: 3, backoff: .fixed, initialBackoffMilliseconds: 10,
        backoffMultiplier: 1, maxBackoffMilliseconds: 10, deadLetterTopic: "payments.dlq", deadLetterOn: [.exhausted])
    var partitionKey: String? { "p" }
    func encode(to writer: inout JSONWriter) throws(EventEncodingError) {}
    static func decode(from reader: inout JSONReader, version: Int) throws(EventDecodingError) -> Self { Self() }
}
